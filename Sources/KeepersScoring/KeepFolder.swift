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
struct KeepFolder {
    let folder: URL
    let copy: Bool

    init(_ folder: URL, copy: Bool) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
        self.copy = copy
    }

    func keep(_ source: URL) throws {
        var suffix = 0
        while true {
            let target = folder.appendingPathComponent(Self.name(source, suffix: suffix))
            if try place(source, at: target) { return }
            suffix += 1
        }
    }

    /// `x.jpg`, `x-1.jpg`, ...; `README`, `README-1` for a name without extension.
    static func name(_ source: URL, suffix: Int) -> String {
        guard suffix > 0 else { return source.lastPathComponent }
        let stem = source.deletingPathExtension().lastPathComponent
        let ext = source.pathExtension
        return ext.isEmpty ? "\(stem)-\(suffix)" : "\(stem)-\(suffix).\(ext)"
    }

    /// True when `target` now holds `source` (placed now or by an earlier
    /// run); false when the name belongs to something else.
    private func place(_ source: URL, at target: URL) throws -> Bool {
        var info = stat()
        if lstat(target.path, &info) != 0 {
            return try create(source, at: target)
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) == source.path else { return false }
            // Our own earlier link: with --copy it becomes a real file.
            if copy { try durableCopy(source, replacing: target) }
            return true
        }
        return info.st_mode & S_IFMT == S_IFREG && Self.sameContent(source, target)
    }

    /// Creates the link or copy unless the name was taken meanwhile (false).
    private func create(_ source: URL, at target: URL) throws -> Bool {
        if !copy {
            guard symlink(source.path, target.path) == 0 else {
                if errno == EEXIST { return try place(source, at: target) }
                throw KeepersError.io(path: target.path, reason: "cannot link: \(String(cString: strerror(errno)))")
            }
            return true
        }
        let temp = try temporaryCopy(of: source)
        defer { unlink(temp.path) }
        // link(2) never replaces an existing name: a race loses cleanly.
        guard link(temp.path, target.path) == 0 else {
            if errno == EEXIST { return try place(source, at: target) }
            throw KeepersError.io(path: target.path, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        try? AtomicFile.fsyncFolder(folder)
        return true
    }

    /// Replaces our own link with a copy of what it points to (rename is atomic).
    private func durableCopy(_ source: URL, replacing target: URL) throws {
        let temp = try temporaryCopy(of: source)
        guard rename(temp.path, target.path) == 0 else {
            unlink(temp.path)
            throw KeepersError.io(path: target.path, reason: "cannot replace the link: \(String(cString: strerror(errno)))")
        }
        try? AtomicFile.fsyncFolder(folder)
    }

    /// A fsynced copy of `source` under a temporary name in the folder.
    private func temporaryCopy(of source: URL) throws -> URL {
        let temp = AtomicFile.temporaryURL(for: folder.appendingPathComponent(source.lastPathComponent))
        do {
            try FileManager.default.copyItem(at: source, to: temp)
            try AtomicFile.fsyncFile(at: temp.path)
        } catch {
            unlink(temp.path)
            throw KeepersError.io(path: source.path, reason: "cannot copy into \(folder.path): \(error)")
        }
        return temp
    }

    static func sameContent(_ a: URL, _ b: URL) -> Bool {
        guard let left = try? Data(contentsOf: a, options: .alwaysMapped),
              let right = try? Data(contentsOf: b, options: .alwaysMapped) else { return false }
        return left == right
    }
}
