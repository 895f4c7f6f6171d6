import CVips
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
        try Vips.start()
        return try Vips.attributed {
            var handle = try VipsHandle.from(image)
            switch pixels {
            case .rgb: break
            case .grey: handle = try handle.apply("to grey") { kp_colourspace($0, $1, VIPS_INTERPRETATION_B_W) }
            case .rgb16: handle = try handle.apply("to 16-bit") { kp_colourspace($0, $1, VIPS_INTERPRETATION_RGB16) }
            case .cmyk: handle = try handle.apply("to CMYK") { kp_colourspace($0, $1, VIPS_INTERPRETATION_CMYK) }
            case let .rgba(alpha):
                let alphaImage = try alpha.withUnsafeBytes { raw -> VipsHandle in
                    guard let made = vips_image_new_from_memory_copy(raw.baseAddress, raw.count, Int32(image.width),
                                                                    Int32(image.height), 1, VIPS_FORMAT_UCHAR) else {
                        throw Vips.takeError("cannot wrap alpha")
                    }
                    return VipsHandle(made)
                }
                handle = try handle.apply("add alpha") { kp_bandjoin($0, alphaImage.pointer, $1) }
            }
            if orientation != nil || clock != nil {
                // Tag a private copy: setting fields on a shared image would race.
                handle = try handle.apply("copy") { kp_copy($0, $1) }
            }
            if let orientation { vips_image_set_int(handle.pointer, VIPS_META_ORIENTATION, Int32(orientation)) }
            if let clock {
                // libvips writes "exif-ifd*" text fields into the EXIF block it saves.
                vips_image_set_string(handle.pointer, "exif-ifd2-DateTimeOriginal", clock.dateTime)
                if let subSeconds = clock.subSeconds {
                    vips_image_set_string(handle.pointer, "exif-ifd2-SubSecTimeOriginal", subSeconds)
                }
            }
            var buffer: UnsafeMutableRawPointer?
            var length = 0
            let status = format == .jpeg || format == .webp
                ? kp_save_buffer(handle.pointer, format.rawValue, &buffer, &length, Int32(quality))
                : kp_save_buffer_plain(handle.pointer, format.rawValue, &buffer, &length)
            guard status == 0, let buffer else { throw Vips.takeError("cannot encode \(format)") }
            defer { g_free(buffer) }
            return Data(bytes: buffer, count: length)
        }
    }
}
