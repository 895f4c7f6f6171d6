import Foundation
import KeepersCore

/// Why a photo was refused. The text goes to `rejected.jsonl` and the terminal.
public enum PhotoRejection: Error, Equatable, CustomStringConvertible {
    case empty
    case notAnImage
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case undecodable(String)

    public var description: String {
        switch self {
        case .empty: return "empty file"
        case .notAnImage: return "not an image: no decoder recognises the content"
        case let .tooManyPixels(w, h, limit):
            return "image is \(w)x\(h) = \(w * h) pixels, above max_pixels \(limit) (not decoded)"
        case let .undecodable(message): return "corrupt or unsupported image: \(message)"
        }
    }
}

/// Turns an encoded photo into the stored RGB image: decode (format found by
/// content), EXIF auto-rotation, sRGB, 8-bit, 3 channels, alpha flattened,
/// resized to the configured width with shrink-on-load, aspect ratio clamped
/// and height snapped to the quantum by a centred crop. Ingest and predict
/// both call this: one code path, so a photo scores the same in both.
public struct PhotoPreprocessor: Sendable {
    public let settings: ImageSettings
    public let maxPixels: Int

    public init(settings: ImageSettings, maxPixels: Int) throws {
        self.settings = settings
        self.maxPixels = maxPixels
    }

    /// Output size for a source of `width` x `height` (already upright).
    public func targetSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let outWidth = settings.width
        let natural = Double(outWidth) * Double(height) / Double(width)
        let clamped = min(max(natural, Double(outWidth) * settings.minAspect), Double(outWidth) * settings.maxAspect)
        let quantum = settings.heightQuantum
        // Snap down (crop, never pad), but keep at least one quantum.
        let snapped = max(quantum, Int((clamped + 1e-9) / Double(quantum)) * quantum)
        return (outWidth, snapped)
    }

    public func process(_ bytes: Data) throws -> RGBImage {
        try processWithClock(bytes).image
    }

    /// As `process`, with the camera's clock read from the header the decode
    /// opens anyway (`CameraClock.read` gives the same without decoding).
    public func processWithClock(_ bytes: Data) throws -> (image: RGBImage, clock: CameraClock?) {
        guard !bytes.isEmpty else { throw PhotoRejection.empty }
        do {
            return try bytes.withUnsafeBytes { raw in
                try Vips.attributed {
                    if let decoded = try decodeRaw(raw) { return (decoded.image, decoded.clock) }
                    return try decode(raw)
                }
            }
        } catch let error as VipsError {
            throw PhotoRejection.undecodable(error.message)
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer) throws -> (image: RGBImage, clock: CameraClock?) {
        guard let loader = try Vips.loaderName(raw) else { throw PhotoRejection.notAnImage }
        try LoaderPolicy.check(loader: loader)
        // Header only: size, orientation and profile, no pixels decoded yet,
        // so a decompression bomb is refused before it costs any memory.
        let header = try VipsHandle.header(raw)
        let (width, height) = (header.width, header.height)
        guard width > 0, height > 0 else { throw VipsError(message: "image has no pixels") }
        guard width.multipliedReportingOverflow(by: height).partialValue <= maxPixels else {
            throw PhotoRejection.tooManyPixels(width: width, height: height, limit: maxPixels)
        }
        let upright = header.orientationSwapsAxes ? (width: height, height: width) : (width: width, height: height)
        let target = targetSize(width: upright.width, height: upright.height)
        // Colour-manage only photos that carry a profile: converting an
        // untagged photo changes its pixels and costs 30-45% of the time.
        let profile: String? = header.hasICCProfile ? "srgb" : nil
        let thumbnail: VipsHandle
        if loader == "VipsForeignLoadJpegBuffer" {
            // libvips' thumbnail leaves a 2x margin above the target when it
            // shrinks a JPEG on load; decoding at the smallest DCT scale that
            // still covers the target is about twice as fast (docs/ingest.md
            // has what it costs in pixels). The reduce is the same lanczos3.
            let shrink = DecodeRecipe.jpegShrink(source: upright, target: target)
            thumbnail = try VipsHandle.jpeg(raw, shrink: shrink)
                .thumbnail(width: target.width, height: target.height, profile: profile)
        } else {
            // Other formats: thumbnail's own shrink-on-load is already exact
            // (WebP decodes at the scale asked for, HEIF uses its embedded
            // thumbnail only when it is large enough).
            thumbnail = try VipsHandle.thumbnail(raw, width: target.width, height: target.height, profile: profile)
        }
        let image = try thumbnail.normalisedToRGB(background: settings.background).rgbImage()
        guard image.width == target.width, image.height == target.height else {
            throw VipsError(message: "resized to \(image.width)x\(image.height), expected \(target.width)x\(target.height)")
        }
        return (image, CameraClock.read(header))
    }
}
