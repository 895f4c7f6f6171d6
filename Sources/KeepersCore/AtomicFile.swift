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
        let unique = "\(getpid())-\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff)"
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(unique)")
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
