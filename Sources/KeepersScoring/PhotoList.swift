import Foundation
import KeepersCore
import KeepersXMP

/// The files to score: each argument is a photo or a folder searched
/// recursively (hidden files, folders and XMP sidecars skipped), in a stable order.
public enum PhotoList {
    public static func expand(_ arguments: [String]) throws -> [URL] {
        var files: [URL] = []
        for argument in arguments {
            let url = URL(fileURLWithPath: argument)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                throw PredictError.missing(argument)
            }
            guard isFolder.boolValue else {
                files.append(URL(fileURLWithPath: PathEscaping.text(of: Array(url.path.utf8))))
                continue
            }
            var found: [[UInt8]] = []
            walk(Array(url.path.utf8), into: &found)
            // Names as bytes (they need not be UTF-8), as text escaped reversibly (PathEscaping).
            files += found.sorted { $0.lexicographicallyPrecedes($1) }.map { URL(fileURLWithPath: PathEscaping.text(of: $0)) }
        }
        return files
    }

    /// Regular files under `folder` (links to files included; hidden
    /// entries and links to folders skipped), by their byte paths.
    static func walk(_ folder: [UInt8], into found: inout [[UInt8]]) {
        guard let dir = (folder + [0]).withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
        }) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard name.first != 0x2E, !SidecarName.isSidecar(name) else { continue }  // hidden, or a sidecar
            let path = folder + [0x2F] + name
            var info = stat()
            let cPath = path + [0]
            guard cPath.withUnsafeBufferPointer({ buffer in
                buffer.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) }
            }) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                walk(path, into: &found)
            } else if info.st_mode & S_IFMT == S_IFLNK {
                var target = stat()
                if cPath.withUnsafeBufferPointer({ buffer in
                    buffer.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &target) }
                }) == 0, target.st_mode & S_IFMT == S_IFREG { found.append(path) }
            } else if info.st_mode & S_IFMT == S_IFREG {
                found.append(path)
            }
        }
    }
}

public enum PredictError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such file or folder"
        }
    }
}
