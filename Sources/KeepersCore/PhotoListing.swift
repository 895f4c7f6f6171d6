import Foundation

/// The make stamp `stamps/photos.list`: every entry under the photos folder
/// (symbolic links followed, each folder entered once) as "path<TAB>size<TAB>
/// mtime", sorted by bytes. It changes exactly when a photo is added,
/// removed, renamed or modified, which is what reruns ingest. Computed here
/// rather than by `find` in the Makefile, so the folder's name, which comes
/// from the config file, never passes through a shell.
public enum PhotoListing {
    public static func text(of folder: URL) -> String {
        var lines: [[UInt8]] = []
        var visited = Set<[UInt64]>()
        walk(Array(folder.path.utf8), relative: [], visited: &visited, into: &lines)
        lines.sort { $0.lexicographicallyPrecedes($1) }
        return lines.map { String(decoding: $0, as: UTF8.self) + "\n" }.joined()
    }

    private static func walk(_ path: [UInt8], relative: [UInt8], visited: inout Set<[UInt64]>, into lines: inout [[UInt8]]) {
        var info = stat()
        guard (path + [0]).withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &info) }
        }) == 0 else { return }
        if !relative.isEmpty {
            let time = "\(info.st_mtim.tv_sec).\(String(format: "%09d", info.st_mtim.tv_nsec))"
            lines.append(relative + Array("\t\(info.st_size)\t\(time)".utf8))
        }
        guard info.st_mode & S_IFMT == S_IFDIR, visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted,
              let names = try? FileManager.default.contentsOfDirectory(atPath: String(decoding: path, as: UTF8.self)) else { return }
        for name in names {
            let bytes = Array(name.utf8)
            walk(path + [0x2F] + bytes, relative: relative.isEmpty ? bytes : relative + [0x2F] + bytes,
                 visited: &visited, into: &lines)
        }
    }

    /// Writes the listing to `url` unless it is unchanged (so its time stays).
    public static func refresh(_ url: URL, folder: URL) throws {
        let text = text(of: folder)
        if (try? String(contentsOf: url, encoding: .utf8)) == text { return }
        try AtomicFile.write(text, to: url)
    }
}
