import Foundation
import KeepersCore

/// How a photo's sidecar is named. Editors disagree: darktable and digiKam
/// (by default) write `IMG_0001.CR2.xmp`, Lightroom and Capture One
/// `IMG_0001.xmp`, which a RAW and a JPEG of one shot would share.
public enum SidecarName: String, Sendable, CaseIterable {
    /// `IMG_0001.CR2.xmp`: the photo's whole name plus `.xmp`.
    case full
    /// `IMG_0001.xmp`: the extension replaced.
    case stem

    /// The sidecar's path for a photo's path (relative or absolute).
    public func path(for photo: String) -> String {
        switch self {
        case .full: return photo + ".xmp"
        case .stem:
            let name = photo.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return photo + ".xmp" }
            return String(photo[..<dot]) + ".xmp"
        }
    }

    public func url(for photo: URL) -> URL { URL(fileURLWithPath: path(for: photo.path)) }

    /// Whether a file name (as bytes) is a sidecar, `*.xmp` in any case:
    /// metadata beside the photos, never a photo itself.
    public static func isSidecar(_ name: [UInt8]) -> Bool {
        name.count > 4 && String(decoding: name.suffix(4), as: UTF8.self).lowercased() == ".xmp"
    }
}

/// Reading a sidecar that may not exist.
public enum SidecarFile {
    /// The sidecar's bytes, or nil when there is none.
    public static func read(_ url: URL) throws -> Data? {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw KeepersError.io(path: url.path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw KeepersError.io(path: url.path, reason: "sidecar is not a regular file")
        }
        do { return try Data(contentsOf: url) } catch {
            throw KeepersError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }
}
