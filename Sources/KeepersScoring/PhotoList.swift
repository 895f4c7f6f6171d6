import Foundation

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
                files.append(url)
                continue
            }
            let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles])
            var found: [URL] = []
            while let item = walker?.nextObject() as? URL {
                if item.pathExtension.lowercased() != "xmp",
                   (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(item) }
            }
            files += found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        }
        return files
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
