import Foundation

/// Reads a photo file whole (decoders want the bytes in memory), with its
/// size checked before the first byte is read: a 2 GiB sparse file named
/// `.jpg` is refused without costing 2 GiB. Failures of the machine (EIO,
/// out of file descriptors or memory) are `EnvironmentFault`s; everything
/// else is this file's problem (`KeepersError.io` with an empty path: the
/// caller names the file).
public enum PhotoBytes {
    public static func read(cPath: UnsafePointer<CChar>, maxBytes: Int) throws -> Data {
        let fd = open(cPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open", cPath) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot stat", cPath) }
        guard Int(info.st_size) <= maxBytes else { throw KeepersError.io(path: "", reason: tooLarge(Int(info.st_size), maxBytes)) }
        var data = Data(count: Int(info.st_size))
        var filled = 0
        let ok = data.withUnsafeMutableBytes { raw -> Bool in
            while filled < raw.count {
                let n = Foundation.read(fd, raw.baseAddress! + filled, raw.count - filled)
                if n < 0 { if errno == EINTR { continue }; return false }
                if n == 0 { break }
                filled += n
            }
            return true
        }
        guard ok else { throw failure("cannot read", cPath) }
        if filled < data.count { data.count = filled }
        return data
    }

    /// `path` as text, escaped where the name is not UTF-8 (`PathEscaping`).
    public static func read(_ path: String, maxBytes: Int) throws -> Data {
        let bytes = PathEscaping.bytes(of: path) + [0]
        do {
            return try bytes.withUnsafeBufferPointer { buffer in
                try buffer.withMemoryRebound(to: CChar.self) { try read(cPath: $0.baseAddress!, maxBytes: maxBytes) }
            }
        } catch let KeepersError.io(_, reason) {
            throw KeepersError.io(path: path, reason: reason)
        }
    }

    /// The refusal text; it names the setting, so raising it is obvious.
    public static func tooLarge(_ size: Int, _ limit: Int) -> String {
        "file is \(size) bytes, above max_file_bytes \(limit) (not read)"
    }

    private static func failure(_ what: String, _ cPath: UnsafePointer<CChar>) -> Error {
        let code = errno
        let reason = "\(what): \(String(cString: strerror(code)))"
        if EnvironmentFault.isTransientRead(code) { return EnvironmentFault(path: String(cString: cPath), reason: reason) }
        return KeepersError.io(path: "", reason: reason)
    }
}
