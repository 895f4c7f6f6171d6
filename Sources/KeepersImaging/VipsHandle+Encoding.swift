internal import CVips
import Foundation

// The libvips side of writing images (StoredImage, PhotoEncoder): pixels in,
// pixel formats, and encoders whose output libvips allocates and we free.
extension VipsHandle {
    /// An image over a copy of `bytes`: `bands` 8-bit values per pixel, row-major.
    /// `what` names them in errors.
    static func from(
        bytes: UnsafeRawBufferPointer, width: Int, height: Int, bands: Int, what: String
    ) throws -> VipsHandle {
        try Vips.ready()
        guard let made = vips_image_new_from_memory_copy(bytes.baseAddress, bytes.count, Int32(width), Int32(height),
                                                         Int32(bands), VIPS_FORMAT_UCHAR) else {
            throw Vips.takeError("cannot wrap \(what)")
        }
        return VipsHandle(made)
    }

    /// Colour spaces the test fixtures and samples are written in besides sRGB.
    enum Colourspace { case grey, rgb16, cmyk }

    func converted(to space: Colourspace) throws -> VipsHandle {
        switch space {
        case .grey: return try apply("to grey") { kp_colourspace($0, $1, VIPS_INTERPRETATION_B_W) }
        case .rgb16: return try apply("to 16-bit") { kp_colourspace($0, $1, VIPS_INTERPRETATION_RGB16) }
        case .cmyk: return try apply("to CMYK") { kp_colourspace($0, $1, VIPS_INTERPRETATION_CMYK) }
        }
    }

    /// `alpha` (one band) appended as the last band.
    func addingAlpha(_ alpha: VipsHandle) throws -> VipsHandle {
        try apply("add alpha") { kp_bandjoin($0, alpha.pointer, $1) }
    }

    /// A copy tagged with an EXIF orientation (1-8). A private copy, because
    /// setting metadata on a shared image would race.
    func oriented(_ orientation: Int) throws -> VipsHandle {
        let copy = try apply("copy") { kp_copy($0, $1) }
        vips_image_set_int(copy.pointer, VIPS_META_ORIENTATION, Int32(orientation))
        return copy
    }

    /// A copy recording `clock` as EXIF `DateTimeOriginal` and
    /// `SubSecTimeOriginal`: libvips writes "exif-ifd*" text fields into the
    /// EXIF block it saves (a copy, since setting fields on a shared image would race).
    func withCaptureTime(_ clock: CameraClock) throws -> VipsHandle {
        let copy = try apply("copy") { kp_copy($0, $1) }
        vips_image_set_string(copy.pointer, "exif-ifd2-DateTimeOriginal", clock.dateTime)
        if let subSeconds = clock.subSeconds {
            vips_image_set_string(copy.pointer, "exif-ifd2-SubSecTimeOriginal", subSeconds)
        }
        return copy
    }

    /// A PNG file with deflate level `compression`, no filtering, no metadata.
    func writePNG(to path: String, compression: Int) throws {
        guard kp_pngsave(pointer, path, Int32(compression)) == 0 else { throw Vips.takeError("cannot write PNG") }
    }

    /// PNG bytes: deflate level `compression`, no filtering, no metadata.
    func pngData(compression: Int) throws -> Data {
        try encoded("PNG") { kp_pngsave_buffer(pointer, $0, $1, Int32(compression)) }
    }

    /// Baseline JPEG bytes.
    func jpegData(quality: Int) throws -> Data {
        try encoded("JPEG") { kp_jpegsave_buffer(pointer, $0, $1, Int32(quality)) }
    }

    /// The format a file name `suffix` (".jpg", ".tif", ...) names, with
    /// `quality` for those that take one; `format` names it in errors.
    func data(suffix: String, quality: Int?, format: String) throws -> Data {
        try encoded(format) { buffer, length in
            guard let quality else { return kp_save_buffer_plain(pointer, suffix, buffer, length) }
            return kp_save_buffer(pointer, suffix, buffer, length, Int32(quality))
        }
    }

    /// Runs a libvips saver that allocates its output, and takes a copy.
    private func encoded(
        _ format: String, _ save: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32
    ) throws -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard save(&buffer, &length) == 0, let buffer else { throw Vips.takeError("cannot encode \(format)") }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}
