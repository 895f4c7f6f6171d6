import Foundation

/// Crash-safe file replacement: write to a temporary file in the same folder,
/// fsync it, rename it over the target, then fsync the folder. A crash at any
/// moment leaves either the old file or the new one, never a torn one.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { tempURL in
            guard FileManager.default.createFile(atPath: tempURL.path, contents: data) else {
                throw KeepersError.io(path: tempURL.path, reason: String(cString: strerror(errno)))
            }
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Lets `produce` write the temporary file however it likes (e.g. through
    /// a C library), then makes it durable and moves it into place.
    public static func write(to url: URL, produce: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temp = temporaryURL(for: url)
        do {
            try produce(temp)
            try fsyncFile(at: temp.path)
            guard rename(temp.path, url.path) == 0 else {
                throw KeepersError.io(path: url.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temp.path)
            throw error
        }
        try? fsyncFile(at: folder.path)
    }

    /// A name in the same folder (same file system, so rename is atomic) that
    /// no other writer uses, and that cleanup tools recognise as temporary.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent)\(temporarySuffix())")
    }

    /// `.tmp-<pid>-<random>`: what `removeStaleTemporaries` recognises.
    public static func temporarySuffix() -> String {
        ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff)"
    }

    public static func fsyncFile(at path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw KeepersError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw KeepersError.io(path: path, reason: "fsync failed") }
    }

    public static func fsyncFolder(_ folder: URL) throws { try fsyncFile(at: folder.path) }

    /// Removes temporary files that a killed writer left in `folder`.
    public static func removeStaleTemporaries(in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            unlink(folder.appendingPathComponent(name).path)
        }
    }
}

extension AtomicFile {
    /// `write(_:to:)` for a path that need not be UTF-8 (a photo's sidecar).
    public static func write(_ data: Data, to path: BytePath) throws {
        let temp = path.temporarySibling()
        do {
            try FileWriting.create(temp, exclusive: true) { fd in try FileWriting.writeAll(data, to: fd, path: temp) }
            guard temp.withCString({ t in path.withCString { rename(t, $0) } }) == 0 else {
                throw KeepersError.io(path: path.text, reason: "rename failed: \(BytePath.lastError())")
            }
        } catch {
            _ = temp.withCString { unlink($0) }
            throw error
        }
        FileWriting.fsyncFolder(path.parent)
    }
}

/// Creating and filling files by byte path with POSIX calls (BytePath).
public enum FileWriting {
    /// Creates `path` (mode 0644; with `exclusive`, failing if it exists),
    /// lets `fill` write it, fsyncs and closes it.
    public static func create(_ path: BytePath, exclusive: Bool, fill: (Int32) throws -> Void) throws {
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (exclusive ? O_EXCL : 0)
        let fd = path.withCString { open($0, flags, 0o644) }
        guard fd >= 0 else { throw KeepersError.io(path: path.text, reason: "cannot create: \(BytePath.lastError())") }
        defer { close(fd) }
        try fill(fd)
        guard fsync(fd) == 0 else { throw KeepersError.io(path: path.text, reason: "fsync failed: \(BytePath.lastError())") }
    }

    /// Makes a folder's new or renamed entries durable (best effort: some
    /// file systems refuse fsync on folders).
    public static func fsyncFolder(_ folder: BytePath) {
        let fd = folder.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    public static func writeAll(_ data: Data, to fd: Int32, path: BytePath) throws {
        try data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw KeepersError.io(path: path.text, reason: "cannot write: \(BytePath.lastError())")
                }
                done += n
            }
        }
    }
}
