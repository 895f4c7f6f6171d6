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

/// Reading a sidecar that may not exist. Its URL's path is escaped text
/// (`PathEscaping`): a photo whose name is not UTF-8 has its sidecar under
/// the same bytes plus `.xmp`.
public enum SidecarFile {
    /// Sidecars are small; anything larger is not one.
    static let maxBytes = 16 << 20

    /// The sidecar's bytes, or nil when there is none.
    public static func read(_ url: URL) throws -> Data? {
        let path = BytePath(escaped: url.path)
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else {
            if errno == ENOENT { return nil }
            throw KeepersError.io(path: url.path, reason: BytePath.lastError())
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw KeepersError.io(path: url.path, reason: "sidecar is not a regular file")
        }
        guard Int(info.st_size) <= maxBytes else {
            throw KeepersError.io(path: url.path, reason: "\(info.st_size) bytes, too large for an XMP sidecar (not read)")
        }
        return try PhotoBytes.read(url.path, maxBytes: maxBytes)
    }
}
