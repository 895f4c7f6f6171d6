import CVips
import Foundation
import KeepersCore

/// The format ingest stores photos in: lossless 8-bit RGB PNG, written
/// atomically. PNG because every tool (numpy via Pillow, h5py users, image
/// viewers) reads it. Stored uncompressed (deflate level 0, no filtering):
/// level 1 spent a third of ingest's CPU time on real photos, for files
/// about half the size (docs/ingest.md has the figures).
public enum StoredImage {
    static let compression: Int32 = 0

    public static func write(_ image: RGBImage, to url: URL) throws {
        try Vips.start()
        let handle = try VipsHandle.from(image)
        try AtomicFile.write(to: url) { temp in
            try Vips.attributed {
                guard kp_pngsave(handle.pointer, temp.path, compression) == 0 else {
                    throw Vips.takeError("cannot write PNG")
                }
            }
        }
    }

    /// Encodes to PNG bytes in memory.
    public static func pngData(_ image: RGBImage) throws -> Data {
        try Vips.start()
        let handle = try VipsHandle.from(image)
        return try Vips.attributed {
            var buffer: UnsafeMutableRawPointer?
            var length = 0
            guard kp_pngsave_buffer(handle.pointer, &buffer, &length, 1) == 0, let buffer else {
                throw Vips.takeError("cannot encode PNG")
            }
            defer { g_free(buffer) }
            return Data(bytes: buffer, count: length)
        }
    }

    /// Reads any image libvips can decode as 8-bit RGB, with no resizing.
    public static func read(_ url: URL) throws -> RGBImage {
        try Vips.start()
        do {
            return try Vips.attributed {
                let handle = try VipsHandle.make("load") { kp_file_load(url.path, $0) }
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
        try Vips.start()
        do {
            return try Vips.attributed {
                let handle = try VipsHandle.make("load") { kp_file_load(url.path, $0) }
                return (handle.width, handle.height)
            }
        } catch let error as VipsError {
            throw KeepersError.format(path: url.path, reason: error.message)
        }
    }
}
