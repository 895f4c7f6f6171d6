internal import CVips
import Foundation
import KeepersCore
import Synchronization

/// Errors from libvips, carrying its own error text.
public struct VipsError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// Process-wide libvips state: one-time initialisation, and the lock that
/// makes error messages attributable. libvips collects errors in one global
/// buffer, so when several threads fail at once their messages mix. Normal
/// work holds the lock shared; to learn why one photo failed, its caller
/// redoes that photo holding the lock exclusively (see `attributed`). Failures
/// are rare, so this costs nothing on the happy path.
public enum Vips {
    private static let initialised: Bool = {
        guard vips_init("keepers") == 0 else { return false }
        LoaderPolicy.apply()
        // No operation cache: each photo is processed once, and cached
        // operations would pin their input buffers in memory.
        vips_cache_set_max(0)
        // libvips also logs a warning for each broken file it meets; Keepers
        // reports those files itself (with the reason), so the log lines would
        // only repeat them and break up the progress display.
        g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, { _, _, _, _ in }, nil)
        return true
    }()

    private nonisolated(unsafe) static var errorLock: pthread_rwlock_t = {
        var lock = pthread_rwlock_t()
        pthread_rwlock_init(&lock, nil)
        return lock
    }()

    /// Starts libvips on first use. Every entry point of this wrapper that
    /// makes an image from nothing calls it (`VipsHandle.make`, `.header`,
    /// `.from(bytes:)`, `loaderName`, `LoaderPolicy.withTrusted`), so no
    /// caller starts libvips itself. libvips that cannot start is the
    /// machine's fault, never a photo's: stages stop on it.
    static func ready() throws {
        guard initialised else {
            throw EnvironmentFault(path: "libvips", reason: "vips_init failed: libvips could not start (is it installed completely?)")
        }
    }

    /// Threads libvips uses inside one image pipeline. Set it to 1 when the
    /// caller already runs one photo per core.
    public static func setConcurrency(_ threads: Int) {
        // Started first: starting later could reset the setting.
        guard (try? ready()) != nil else { return }
        vips_concurrency_set(Int32(threads))
    }

    /// Runs `body` holding the error lock shared.
    static func shared<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(&errorLock)
        defer { pthread_rwlock_unlock(&errorLock) }
        return try body()
    }

    /// Runs `body` with no other libvips work in flight and a clean error
    /// buffer, so that the message of any failure belongs to `body`.
    static func exclusive<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(&errorLock)
        defer { pthread_rwlock_unlock(&errorLock) }
        vips_error_clear()
        return try body()
    }

    /// Runs `body`; if libvips fails, runs it once more alone to get an error
    /// message that names this work's problem and no other thread's.
    public static func attributed<T>(_ body: () throws -> T) throws -> T {
        do { return try shared(body) } catch is VipsError {
            return try exclusive(body)
        }
    }

    /// The error buffer's text, cleared afterwards. Meaningful under `exclusive`.
    static func takeError(_ fallback: String) -> VipsError {
        guard let copy = vips_error_buffer_copy() else { return VipsError(message: fallback) }
        defer { g_free(copy) }
        let text = String(cString: copy).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .reduced()
        return VipsError(message: text.isEmpty ? fallback : text)
    }
}

private extension Array where Element == String {
    /// Joins distinct lines in order (libvips often repeats a message per thread).
    func reduced() -> String {
        var seen = Set<String>()
        return filter { !$0.isEmpty && seen.insert($0).inserted }.joined(separator: "; ")
    }
}

/// One VipsImage reference, released on deinit.
final class VipsHandle {
    let pointer: UnsafeMutablePointer<VipsImage>

    init(_ pointer: UnsafeMutablePointer<VipsImage>) { self.pointer = pointer }
    deinit { g_object_unref(pointer) }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
    var bands: Int { Int(vips_image_get_bands(pointer)) }
    var format: VipsBandFormat { vips_image_get_format(pointer) }
    var interpretation: VipsInterpretation { vips_image_get_interpretation(pointer) }
    var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    var orientationSwapsAxes: Bool { vips_image_get_orientation_swap(pointer) != 0 }
    var hasICCProfile: Bool { vips_image_get_typeof(pointer, VIPS_META_ICC_NAME) != 0 }

    /// Opens an image file, its format found by content; pixels decode lazily.
    static func load(path: String) throws -> VipsHandle { try make("load") { kp_file_load(path, $0) } }

    /// Calls a libvips operation that writes one output image.
    static func make(_ what: String, _ operation: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws -> VipsHandle {
        try Vips.ready()
        var out: UnsafeMutablePointer<VipsImage>?
        guard operation(&out) == 0, let out else { throw Vips.takeError("\(what) failed") }
        return VipsHandle(out)
    }

    func apply(_ what: String, _ operation: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws -> VipsHandle {
        try Self.make(what) { operation(pointer, $0) }
    }

    /// Computes every pixel into memory. libvips evaluates lazily, so decode
    /// errors (truncated data) surface here, not when the image is opened.
    func pixels() throws -> [UInt8] {
        var size = 0
        guard let buffer = vips_image_write_to_memory(pointer, &size) else {
            throw Vips.takeError("decoding pixels failed")
        }
        defer { g_free(buffer) }
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: size))
    }

    /// An image over a copy of `image`'s pixels.
    static func from(_ image: RGBImage) throws -> VipsHandle {
        try image.pixels.withUnsafeBytes {
            try from(bytes: $0, width: image.width, height: image.height, bands: 3, what: "pixels")
        }
    }

    /// 8-bit, 3-band sRGB, alpha flattened onto `background`.
    func normalisedToRGB(background: [Int]) throws -> VipsHandle {
        var image = self
        if image.interpretation != VIPS_INTERPRETATION_sRGB || image.format != VIPS_FORMAT_UCHAR {
            image = try image.apply("colourspace") { kp_colourspace($0, $1, VIPS_INTERPRETATION_sRGB) }
        }
        if image.hasAlpha {
            image = try image.apply("flatten") {
                kp_flatten($0, $1, Double(background[0]), Double(background[1]), Double(background[2]))
            }
        }
        if image.format != VIPS_FORMAT_UCHAR { image = try image.apply("cast") { kp_cast_uchar($0, $1) } }
        if image.bands == 1 { image = try image.apply("bandjoin") { kp_bandjoin3($0, $1) } }
        if image.bands > 3 { image = try image.apply("extract_band") { kp_extract_bands($0, $1, 0, 3) } }
        return image
    }

    func rgbImage() throws -> RGBImage {
        RGBImage(width: width, height: height, pixels: try pixels())
    }
}
