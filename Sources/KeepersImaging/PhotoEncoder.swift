import Foundation

/// Encodes RGB images as camera-like files: the sample generator writes its
/// photos with it, and the tests make their odd fixtures (CMYK, 16-bit,
/// grey, alpha, EXIF-rotated) with it.
public enum PhotoEncoder {
    public enum Format: String, Sendable {
        case jpeg = ".jpg", png = ".png", tiff = ".tif", webp = ".webp", gif = ".gif"
    }

    public enum Pixels: Sendable, Equatable {
        case rgb
        case grey
        case rgb16
        case cmyk
        /// RGB plus an alpha channel (one value per pixel).
        case rgba(alpha: [UInt8])
    }

    /// - Parameters:
    ///   - orientation: EXIF orientation tag (1-8) to record; the pixels are
    ///     stored as given, so the caller stores them rotated to match.
    ///   - clock: the capture time to record as EXIF `DateTimeOriginal` and
    ///     `SubSecTimeOriginal` (JPEG and WebP, which carry EXIF).
    public static func encode(_ image: RGBImage, as format: Format, pixels: Pixels = .rgb,
                              quality: Int = 90, orientation: Int? = nil, clock: CameraClock? = nil) throws -> Data {
        return try Vips.attributed {
            var handle = try VipsHandle.from(image)
            switch pixels {
            case .rgb: break
            case .grey: handle = try handle.converted(to: .grey)
            case .rgb16: handle = try handle.converted(to: .rgb16)
            case .cmyk: handle = try handle.converted(to: .cmyk)
            case let .rgba(alpha):
                let alphaImage = try alpha.withUnsafeBytes {
                    try VipsHandle.from(bytes: $0, width: image.width, height: image.height, bands: 1, what: "alpha")
                }
                handle = try handle.addingAlpha(alphaImage)
            }
            if let orientation { handle = try handle.oriented(orientation) }
            if let clock { handle = try handle.withCaptureTime(clock) }
            return try handle.data(suffix: format.rawValue, quality: format == .jpeg || format == .webp ? quality : nil,
                                   format: "\(format)")
        }
    }
}
