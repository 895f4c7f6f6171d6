internal import CRaw
import Foundation

/// A camera RAW file open in LibRaw (thread-safe build; one instance per
/// file, so files decode in parallel). The encoded bytes must outlive it:
/// LibRaw reads them in place.
final class RawFile {
    private let data: UnsafeMutablePointer<libraw_data_t>

    /// Nil when LibRaw does not recognise the bytes as a RAW file (plain
    /// TIFFs and JPEGs included), so the caller can hand them to libvips.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard let data = libraw_init(0) else { return nil }
        self.data = data
        // LibRaw prints data errors ("Unexpected end of file") to stderr
        // itself; Keepers reports them with the file's name instead.
        libraw_set_dataerror_handler(data, nil, nil)
        libraw_set_memerror_handler(data, nil, nil)
        guard libraw_open_buffer(data, UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) == 0,
              data.pointee.sizes.width > 0, data.pointee.sizes.height > 0 else { return nil }
    }

    deinit { libraw_close(data) }

    /// Sensor image size, before the orientation is applied.
    var width: Int { Int(data.pointee.sizes.width) }
    var height: Int { Int(data.pointee.sizes.height) }

    /// How the camera was held, as LibRaw's `flip`: 0 upright, 3 upside
    /// down, 5 and 6 the portrait ones (width and height swap).
    var flip: Int32 { data.pointee.sizes.flip }
    var flipSwapsAxes: Bool { flip & 4 != 0 }

    /// The capture time LibRaw read from the EXIF, as a time_t (0 when none).
    var rawTimestamp: Int { Int(data.pointee.other.timestamp) }

    /// The embedded preview's sensor-oriented size, when it is a JPEG.
    var previewSize: (width: Int, height: Int)? {
        let thumbnail = data.pointee.thumbnail
        guard thumbnail.tlength > 0, thumbnail.twidth > 0, thumbnail.theight > 0 else { return nil }
        return (Int(thumbnail.twidth), Int(thumbnail.theight))
    }

    /// The embedded preview's JPEG bytes, or nil when the preview is not a JPEG.
    func previewJPEG() throws -> Data? {
        try check(libraw_unpack_thumb(data), "reading the embedded preview")
        let thumbnail = data.pointee.thumbnail
        guard thumbnail.tformat == LIBRAW_THUMBNAIL_JPEG, let bytes = thumbnail.thumb, thumbnail.tlength > 0 else {
            return nil
        }
        return Data(bytes: bytes, count: Int(thumbnail.tlength))
    }

    /// Demosaics at half resolution (each 2x2 Bayer block becomes one pixel:
    /// no interpolation, 4x fewer pixels) to 8-bit sRGB, turned upright.
    /// Camera white balance; no automatic brightening, so an under- or
    /// over-exposed shot stays one, as it does in a JPEG.
    func halfSize() throws -> RGBImage {
        data.pointee.params.half_size = 1
        data.pointee.params.use_camera_wb = 1
        data.pointee.params.no_auto_bright = 1
        data.pointee.params.output_color = 1  // sRGB primaries
        data.pointee.params.output_bps = 8
        data.pointee.params.gamm.0 = 1 / 2.4  // the sRGB tone curve, not LibRaw's BT.709 default
        data.pointee.params.gamm.1 = 12.92
        try check(libraw_unpack(data), "unpacking")
        try check(libraw_dcraw_process(data), "demosaicing")
        var code: Int32 = 0
        guard let image = libraw_dcraw_make_mem_image(data, &code) else { throw Self.error(code, "converting") }
        defer { libraw_dcraw_clear_mem(image) }
        let (width, height) = (Int(image.pointee.width), Int(image.pointee.height))
        guard image.pointee.type == LIBRAW_IMAGE_BITMAP, image.pointee.colors == 3, image.pointee.bits == 8,
              Int(image.pointee.data_size) == width * height * 3 else {
            throw PhotoRejection.undecodable("LibRaw: unexpected output (\(image.pointee.colors) colours, \(image.pointee.bits) bits)")
        }
        // `data` is a C flexible array member: the pixels start at its offset.
        let start = UnsafeRawPointer(image) + MemoryLayout<libraw_processed_image_t>.offset(of: \.data)!
        let pixels = [UInt8](UnsafeRawBufferPointer(start: start, count: width * height * 3))
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private func check(_ code: Int32, _ what: String) throws {
        if code != 0 { throw Self.error(code, what) }
    }

    private static func error(_ code: Int32, _ what: String) -> PhotoRejection {
        .undecodable("LibRaw, \(what): \(String(cString: libraw_strerror(code)))")
    }
}
