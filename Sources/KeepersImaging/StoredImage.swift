import Foundation
import KeepersCore

/// The format ingest stores photos in: lossless 8-bit RGB PNG, written
/// atomically. PNG because every tool (numpy via Pillow, h5py users, image
/// viewers) reads it. Stored uncompressed (deflate level 0, no filtering):
/// level 1 spent a third of ingest's CPU time on real photos, for files
/// about half the size (docs/ingest.md has the figures).
public enum StoredImage {
    static let compression = 0

    public static func write(_ image: RGBImage, to url: URL) throws {
        let handle = try VipsHandle.from(image)
        try AtomicFile.write(to: url) { temp in
            try Vips.attributed { try handle.writePNG(to: temp.path, compression: compression) }
        }
    }

    /// Encodes to PNG bytes in memory.
    public static func pngData(_ image: RGBImage) throws -> Data {
        let handle = try VipsHandle.from(image)
        return try Vips.attributed { try handle.pngData(compression: 1) }
    }

    /// Reads any image libvips can decode as 8-bit RGB, with no resizing.
    public static func read(_ url: URL) throws -> RGBImage {
        do {
            return try Vips.attributed {
                let handle = try VipsHandle.load(path: url.path)
                return try handle.normalisedToRGB(background: [255, 255, 255]).rgbImage()
            }
        } catch let error as VipsError {
            throw KeepersError.format(path: url.path, reason: error.message)
        }
    }
}

extension StoredImage {
    /// Width and height of a stored image, from its header alone.
    public static func size(of url: URL) throws -> (width: Int, height: Int) {
        do {
            return try Vips.attributed {
                let handle = try VipsHandle.load(path: url.path)
                return (handle.width, handle.height)
            }
        } catch let error as VipsError {
            throw KeepersError.format(path: url.path, reason: error.message)
        }
    }
}
