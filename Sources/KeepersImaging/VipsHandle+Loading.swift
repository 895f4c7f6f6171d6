internal import CVips
import Foundation

// The libvips side of reading photos (PhotoPreprocessor, CameraClock):
// sniffing, header-only opens, shrink-on-load and the final resize. The
// domain files call only these, so every libvips call that reads a photo is
// here, with Swift types, and none of them imports CVips.

extension Vips {
    /// The libvips loader that would open `bytes` ("VipsForeignLoadJpegBuffer"),
    /// found by content; nil when no loader takes them.
    static func loaderName(_ bytes: UnsafeRawBufferPointer) throws -> String? {
        try ready()
        guard let loader = kp_find_load_buffer(bytes.baseAddress, bytes.count) else {
            // Sniffing failures leave a message behind; it would be blamed
            // on the next photo that fails.
            vips_error_clear()
            return nil
        }
        return String(cString: loader)
    }

    /// "8.14": the release whose resampling made the stored pixels.
    static var minorVersion: String { "\(vips_version(0)).\(vips_version(1))" }
}

extension VipsHandle {
    /// The header of an encoded photo (size, bands, orientation, profile):
    /// no pixels decoded, so a decompression bomb costs no memory yet.
    static func header(_ bytes: UnsafeRawBufferPointer) throws -> VipsHandle {
        try Vips.ready()
        guard let pointer = kp_header_from_buffer(bytes.baseAddress, bytes.count) else {
            throw Vips.takeError("cannot read the image header")
        }
        return VipsHandle(pointer)
    }

    /// A JPEG decoded in the DCT domain at 1/`shrink` size (1, 2, 4 or 8),
    /// read top to bottom once.
    static func jpeg(_ bytes: UnsafeRawBufferPointer, shrink: Int) throws -> VipsHandle {
        try make("jpegload") {
            kp_jpegload_buffer(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count, $0, Int32(shrink))
        }
    }

    /// libvips' thumbnail of an encoded photo, its own shrink-on-load,
    /// upright by EXIF (unless `rotate` is false), centre-cropped to fill
    /// `width` x `height`, transformed to `profile` when one is given.
    static func thumbnail(
        _ bytes: UnsafeRawBufferPointer, width: Int, height: Int, profile: String?, rotate: Bool = true
    ) throws -> VipsHandle {
        let buffer = UnsafeMutableRawPointer(mutating: bytes.baseAddress)
        if !rotate {
            return try make("thumbnail") { kp_thumbnail_buffer_unrotated(buffer, bytes.count, $0, Int32(width), Int32(height)) }
        }
        return try make("thumbnail") {
            kp_thumbnail_buffer(buffer, bytes.count, $0, Int32(width), Int32(height), "fail_on=truncated", profile)
        }
    }

    /// The same resize, crop, rotation and colour handling as `thumbnail`,
    /// on an image already decoded (at a reduced scale, or from LibRaw).
    func thumbnail(width: Int, height: Int, profile: String?) throws -> VipsHandle {
        try apply("thumbnail") { kp_thumbnail_image($0, $1, Int32(width), Int32(height), profile) }
    }

    /// Turned clockwise by `turns` quarter turns.
    func rotated(clockwiseQuarterTurns turns: Int) throws -> VipsHandle {
        let angle: VipsAngle
        switch ((turns % 4) + 4) % 4 {
        case 1: angle = VIPS_ANGLE_D90
        case 2: angle = VIPS_ANGLE_D180
        case 3: angle = VIPS_ANGLE_D270
        default: return self
        }
        return try apply("rotate") { kp_rot($0, $1, angle) }
    }

    /// An EXIF field's own text, without libvips' "(..., ASCII, n components, n bytes)" description.
    func exifText(_ name: String) -> String? {
        guard vips_image_get_typeof(pointer, name) != 0 else { return nil }
        var value: UnsafePointer<CChar>?
        guard vips_image_get_string(pointer, name, &value) == 0, let value else { return nil }
        let text = String(cString: value)
        let own = text.range(of: " (").map { String(text[..<$0.lowerBound]) } ?? text
        let trimmed = own.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
