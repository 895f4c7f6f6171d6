import Foundation
import KeepersCore

/// The `--keep-into` folder. Idempotent: a rerun recognises what it put there
/// (a link to the photo, or a file with the photo's exact content) and adds
/// nothing. Durable: a copy is written to a temporary name, fsynced and then
/// linked into place, so the folder never holds a partial copy. `--copy`
/// replaces a link an earlier run made with a real copy, so deleting the
/// originals afterwards loses nothing. Never overwrites anything else: a
/// name taken by another file (even one that appears meanwhile, from another
/// process) moves on to `name-1.ext`, `name-2.ext`, ...
/// Works on byte paths (BytePath) with POSIX calls, so a photo whose name is
/// not UTF-8 is linked and copied under its real name.
struct KeepFolder {
    let folder: BytePath
    let copy: Bool

    init(_ folder: URL, copy: Bool) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = BytePath(bytes: Array(folder.path.utf8))
        self.copy = copy
    }

    /// Keeps the photo at `source` (escaped text, as predict's paths are).
    func keep(_ source: BytePath) throws {
        var suffix = 0
        while true {
            let target = folder.appending(Self.name(source.lastComponent, suffix: suffix))
            if try place(source, at: target) { return }
            suffix += 1
        }
    }

    /// `x.jpg`, `x-1.jpg`, ...; `README`, `README-1` for a name without extension.
    static func name(_ name: [UInt8], suffix: Int) -> [UInt8] {
        guard suffix > 0 else { return name }
        let tag = Array("-\(suffix)".utf8)
        guard let dot = name.lastIndex(of: 0x2E), dot > 0 else { return name + tag }
        return Array(name[..<dot]) + tag + Array(name[dot...])
    }

    /// True when `target` now holds `source` (placed now or by an earlier
    /// run); false when the name belongs to something else.
    private func place(_ source: BytePath, at target: BytePath) throws -> Bool {
        guard let info = target.linkStatus() else { return try create(source, at: target) }
        if info.st_mode & S_IFMT == S_IFLNK {
            guard target.linkTarget() == source.bytes else { return false }
            // Our own earlier link: with --copy it becomes a real file.
            if copy { try durableCopy(source, replacing: target) }
            return true
        }
        return info.st_mode & S_IFMT == S_IFREG && Self.sameContent(source, target)
    }

    /// Creates the link or copy unless the name was taken meanwhile (false).
    private func create(_ source: BytePath, at target: BytePath) throws -> Bool {
        if !copy {
            guard source.withCString({ s in target.withCString { symlink(s, $0) } }) == 0 else {
                if errno == EEXIST { return try place(source, at: target) }
                throw KeepersError.io(path: target.text, reason: "cannot link: \(BytePath.lastError())")
            }
            return true
        }
        let temp = try temporaryCopy(of: source)
        defer { _ = temp.withCString { unlink($0) } }
        // link(2) never replaces an existing name: a race loses cleanly.
        guard temp.withCString({ t in target.withCString { link(t, $0) } }) == 0 else {
            if errno == EEXIST { return try place(source, at: target) }
            throw KeepersError.io(path: target.text, reason: "cannot create: \(BytePath.lastError())")
        }
        FileWriting.fsyncFolder(folder)
        return true
    }

    /// Replaces our own link with a copy of what it points to (rename is atomic).
    private func durableCopy(_ source: BytePath, replacing target: BytePath) throws {
        let temp = try temporaryCopy(of: source)
        guard temp.withCString({ t in target.withCString { rename(t, $0) } }) == 0 else {
            let reason = BytePath.lastError()
            _ = temp.withCString { unlink($0) }
            throw KeepersError.io(path: target.text, reason: "cannot replace the link: \(reason)")
        }
        FileWriting.fsyncFolder(folder)
    }

    /// A fsynced copy of `source` under a temporary name in the folder.
    private func temporaryCopy(of source: BytePath) throws -> BytePath {
        let temp = folder.appending(source.lastComponent).temporarySibling()
        let input = source.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard input >= 0 else {
            throw KeepersError.io(path: source.text, reason: "cannot open: \(BytePath.lastError())")
        }
        defer { close(input) }
        do {
            try FileWriting.create(temp, exclusive: true) { output in
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let n = read(input, &buffer, buffer.count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw KeepersError.io(path: source.text, reason: "cannot read: \(BytePath.lastError())")
                    }
                    if n == 0 { break }
                    try FileWriting.writeAll(Data(buffer[..<n]), to: output, path: temp)
                }
            }
        } catch {
            _ = temp.withCString { unlink($0) }
            throw KeepersError.io(path: source.text, reason: "cannot copy into \(folder.text): \(error)")
        }
        return temp
    }

    /// Whether two files hold the same bytes (compared a block at a time).
    static func sameContent(_ a: BytePath, _ b: BytePath) -> Bool {
        let left = a.withCString { open($0, O_RDONLY | O_CLOEXEC) }, right = b.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        defer { if left >= 0 { close(left) }; if right >= 0 { close(right) } }
        guard left >= 0, right >= 0 else { return false }
        var x = [UInt8](repeating: 0, count: 1 << 16), y = x
        while true {
            let n = readFully(left, &x), m = readFully(right, &y)
            guard n >= 0, n == m, x[..<n] == y[..<m] else { return false }
            if n == 0 { return true }
        }
    }

    /// Fills `buffer` unless the file ends first; the count read, -1 on error.
    private static func readFully(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 { if errno == EINTR { continue }; return -1 }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
