import Foundation
import KeepersCore
import KeepersImaging

/// A thumbnail written into a page folder: its name there and its size.
public struct PageThumbnail: Sendable, Equatable {
    public var name: String
    public var width: Int
    public var height: Int

    public init(name: String, width: Int, height: Int) {
        self.name = name
        self.width = width
        self.height = height
    }
}

/// The folder of a culling page: `index.html` and `thumbs/<hash>.jpg`.
/// Thumbnails are named by the SHA-256 of the photo's bytes (never by its
/// file name, which is untrusted), so a rerun rewrites none and two copies
/// of one photo share one. Every file is written atomically; `finish`
/// writes the page and then removes the thumbnails it no longer shows.
public final class PageFolder: Sendable {
    public let url: URL
    public var thumbnails: URL { url.appendingPathComponent(Self.thumbnailFolder) }
    static let thumbnailFolder = "thumbs"
    /// Long side of a thumbnail in pixels, and its JPEG quality.
    public static let longSide = 320
    public static let quality = 75

    public init(_ url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.appendingPathComponent(Self.thumbnailFolder),
                                                withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(in: url)
        AtomicFile.removeStaleTemporaries(in: url.appendingPathComponent(Self.thumbnailFolder))
    }

    /// Writes (unless already there) the thumbnail of `image`, the photo
    /// whose file holds `bytes`; returns its name relative to the page.
    public func thumbnail(of image: RGBImage, photoBytes bytes: Data) throws -> PageThumbnail {
        let size = ImageOps.fittingSize(width: image.width, height: image.height,
                                        boxWidth: Self.longSide, boxHeight: Self.longSide)
        let name = Self.thumbnailFolder + "/" + String(ContentHash.sha256(bytes).prefix(32)) + ".jpg"
        let target = url.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: target.path) {
            let small = try ImageOps.resize(image, width: size.width, height: size.height)
            try AtomicFile.write(StoredImage.jpegData(small, quality: Self.quality), to: target)
        }
        return PageThumbnail(name: name, width: size.width, height: size.height)
    }

    /// Writes index.html, then removes thumbnails that `tiles` do not show
    /// (those of an earlier run on other photos).
    public func finish(tiles: [PageTile], summary: PageSummary) throws {
        try AtomicFile.write(CullingPage.html(tiles: tiles, summary: summary), to: url.appendingPathComponent("index.html"))
        let shown = Set(tiles.compactMap(\.thumbnail).map { URL(fileURLWithPath: $0).lastPathComponent })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: thumbnails.path)) ?? []
        for name in present where name.hasSuffix(".jpg") && !name.hasPrefix(".") && !shown.contains(name) {
            unlink(thumbnails.appendingPathComponent(name).path)
        }
    }
}
