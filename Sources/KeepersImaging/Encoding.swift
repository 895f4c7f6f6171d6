internal import CVips
import Foundation

extension StoredImage {
    /// Encodes to baseline JPEG bytes in memory, for large photographic
    /// figures (sample grids) where PNG would be several times bigger.
    public static func jpegData(_ image: RGBImage, quality: Int = 90) throws -> Data {
        let handle = try VipsHandle.from(image)
        return try Vips.attributed { try handle.jpegData(quality: quality) }
    }
}

extension ImageOps {
    /// Resizes to exactly `width` x `height` (lanczos3 when shrinking).
    /// The aspect ratio is the caller's business; see `fittingSize`.
    public static func resize(_ image: RGBImage, width: Int, height: Int) throws -> RGBImage {
        precondition(width > 0 && height > 0, "target size must be positive, got \(width)x\(height)")
        if image.width == width && image.height == height { return image }
        return try Vips.attributed {
            try VipsHandle.from(image)
                .apply("thumbnail") { kp_thumbnail_image_force($0, $1, Int32(width), Int32(height)) }
                .normalisedToRGB(background: [255, 255, 255]).rgbImage()
        }
    }

    /// The largest size with `width`:`height`'s aspect ratio that fits in a
    /// `boxWidth` x `boxHeight` box, at least 1 x 1.
    public static func fittingSize(width: Int, height: Int, boxWidth: Int, boxHeight: Int)
        -> (width: Int, height: Int) {
        let scale = min(Double(boxWidth) / Double(width), Double(boxHeight) / Double(height))
        return (max(1, min(boxWidth, Int((Double(width) * scale).rounded()))),
                max(1, min(boxHeight, Int((Double(height) * scale).rounded()))))
    }
}
