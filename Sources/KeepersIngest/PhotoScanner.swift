import Foundation
import KeepersCore
import KeepersXMP

/// A file found under a class folder. The path is kept as raw bytes, because
/// file names need not be valid UTF-8 and two names that differ only in
/// Unicode normalisation are two different files (Swift's String == would
/// call them equal).
public struct CandidateFile: Sendable {
    /// Path relative to the photos folder, as the file system spells it.
    public let relativePath: [UInt8]
    public var label: String
    /// With `ingest.labels: xmp-rating`: the star rating and where it was read.
    public var rating: Int? = nil
    public var labelSource: String? = nil
    /// The other file of a RAW+JPEG pair, when this one was chosen to stand for both.
    public var partner: [UInt8]? = nil

    /// The path as text for manifests and messages, reversibly escaped
    /// where it is not valid UTF-8 (`PathEscaping`).
    public var source: String { PathEscaping.text(of: relativePath) }
}

/// What a scan of the photos folder found.
public struct ScanResult: Sendable {
    public var candidates: [CandidateFile] = []
    /// Files refused before decoding (symlink loops, dangling links, unreadable folders).
    public var rejected: [RejectedEntry] = []
    /// Hidden files and folders (name starts with "."), skipped.
    public var hidden = 0
    /// Entries that are neither files nor folders (sockets, FIFOs, devices), skipped.
    public var notFiles = 0
    /// XMP sidecars (`*.xmp`): metadata of the photos beside them, not photos.
    public var sidecars = 0
    /// Entries of the photos folder outside the class folders, skipped.
    public var outsideClasses: [String] = []
}

extension ScanResult {
    func sorted() -> ScanResult {
        var result = self
        result.candidates.sort { $0.relativePath.lexicographicallyPrecedes($1.relativePath) }
        result.rejected.sort { $0.source < $1.source }
        return result
    }
}

/// Walks `photos/<class>/...` recursively, following symbolic links but never
/// entering the same folder twice (which is how a link cycle shows itself).
public struct PhotoScanner {
    public let root: URL
    public let classes: [String]

    public init(root: URL, classes: [String]) {
        self.root = root
        self.classes = classes
    }

    public func scan() throws -> ScanResult {
        var result = ScanResult()
        _ = try rootFolder()
        for entry in try listDirectory(Array(root.path.utf8)) {
            let name = PathEscaping.text(of: entry)
            if !classes.contains(name) { result.outsideClasses.append(name) }
        }
        for label in classes {
            let folder = Array(root.path.utf8) + [0x2F] + Array(label.utf8)
            var info = stat()
            guard stat(String(decoding: folder, as: UTF8.self), &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw KeepersError.io(path: "\(root.path)/\(label)", reason: "class folder '\(label)' is missing")
            }
            var visited: Set<DirectoryID> = [DirectoryID(info)]
            try walk(absolute: folder, relative: Array(label.utf8), label: label, visited: &visited, into: &result)
        }
        return result.sorted()
    }

    /// The whole folder tree, every photo with an empty label (for labels
    /// that come from the photos' metadata rather than their folder).
    public func scanTree() throws -> ScanResult {
        var result = ScanResult()
        var visited: Set<DirectoryID> = [DirectoryID(try rootFolder())]
        try walk(absolute: Array(root.path.utf8), relative: [], label: "", visited: &visited, into: &result)
        return result.sorted()
    }

    private func rootFolder() throws -> stat {
        var info = stat()
        guard stat(root.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw KeepersError.io(path: root.path, reason: "photos folder not found (set `photos:` in the config or pass --photos)")
        }
        return info
    }

    private struct DirectoryID: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private func walk(absolute: [UInt8], relative: [UInt8], label: String,
                      visited: inout Set<DirectoryID>, into result: inout ScanResult) throws {
        let names: [[UInt8]]
        do { names = try listDirectory(absolute) } catch {
            result.rejected.append(RejectedEntry(source: PathEscaping.text(of: relative),
                                                 reason: "cannot read folder: \(error)"))
            return
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let path = absolute + [0x2F] + name
            let rel = relative.isEmpty ? name : relative + [0x2F] + name
            let source = PathEscaping.text(of: rel)
            if name.first == 0x2E {
                result.hidden += 1
                continue
            }
            var info = stat()
            guard withCPath(path, { lstat($0, &info) }) == 0 else {
                result.rejected.append(RejectedEntry(source: source, reason: "cannot stat: \(String(cString: strerror(errno)))"))
                continue
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                guard withCPath(path, { stat($0, &info) }) == 0 else {
                    let reason = errno == ELOOP ? "symlink loop" : "dangling symlink: \(String(cString: strerror(errno)))"
                    result.rejected.append(RejectedEntry(source: source, reason: reason))
                    continue
                }
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG where SidecarName.isSidecar(name):
                result.sidecars += 1
            case S_IFREG:
                result.candidates.append(CandidateFile(relativePath: rel, label: label))
            case S_IFDIR:
                guard visited.insert(DirectoryID(info)).inserted else {
                    result.rejected.append(RejectedEntry(source: source, reason: "symlink loop: folder already visited"))
                    continue
                }
                try walk(absolute: path, relative: rel, label: label, visited: &visited, into: &result)
            default:
                result.notFiles += 1
            }
        }
    }


    private func listDirectory(_ path: [UInt8]) throws -> [[UInt8]] {
        guard let dir = withCPath(path, { opendir($0) }) else {
            throw KeepersError.io(path: String(decoding: path, as: UTF8.self), reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }
}

/// Calls `body` with a NUL-terminated copy of a byte path.
func withCPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    (path + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
}

/// Reads a whole file by its byte path, refusing one above `maxBytes`.
func readFile(_ path: [UInt8], maxBytes: Int) throws -> Data {
    try (path + [0]).withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: CChar.self) { try PhotoBytes.read(cPath: $0.baseAddress!, maxBytes: maxBytes) }
    }
}
