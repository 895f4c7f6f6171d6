import Foundation

/// Camera RAW files (libvips 8.14 has no RAW loader: it refuses most, and
/// reads a DNG as its undemosaiced sensor mosaic). LibRaw opens them; the
/// result then goes through the same resize, crop and sRGB steps as any photo.
extension PhotoPreprocessor {
    /// Loaders libvips picks for RAW files: TIFF for the TIFF-based ones
    /// (DNG, CR2, NEF, ARW, PEF...), ImageMagick's catch-all, or none (CR3,
    /// RAF, ORF, RW2...). Other formats never reach LibRaw.
    static func mayBeRaw(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let name = try? Vips.loaderName(raw) else { return true }
        return name.contains("Tiff") || name.contains("Magick")
    }

    /// Which LibRaw path a RAW file takes, for tests and benchmarks.
    public enum RawPath: String, Sendable {
        /// The camera's embedded JPEG preview, when it is at least as wide as
        /// the stored image: milliseconds instead of a demosaic.
        case preview
        /// LibRaw's half-size demosaic.
        case halfSize = "half-size"
    }

    /// As `process`, for RAW files only, telling which path was taken; nil
    /// when the bytes are not a RAW file LibRaw reads.
    public func processRaw(_ bytes: Data) throws -> (image: RGBImage, path: RawPath)? {
        do {
            return try bytes.withUnsafeBytes { raw in
                try Vips.attributed { try decodeRaw(raw).map { ($0.image, $0.path) } }
            }
        } catch let error as VipsError {
            throw PhotoRejection.undecodable(error.message)
        }
    }

    /// The decoded image, the path taken and the camera's clock; nil when
    /// LibRaw does not take the bytes.
    func decodeRaw(_ bytes: UnsafeRawBufferPointer) throws -> (image: RGBImage, path: RawPath, clock: CameraClock?)? {
        guard Self.mayBeRaw(bytes), let file = RawFile(bytes) else { return nil }
        guard file.width.multipliedReportingOverflow(by: file.height).partialValue <= maxPixels else {
            throw PhotoRejection.tooManyPixels(width: file.width, height: file.height, limit: maxPixels)
        }
        if let preview = file.previewSize {
            let uprightWidth = file.flipSwapsAxes ? preview.height : preview.width
            let uprightHeight = file.flipSwapsAxes ? preview.width : preview.height
            let target = targetSize(width: uprightWidth, height: uprightHeight)
            // A preview that cannot be read is no reason to refuse the photo:
            // the sensor data may be fine, so it is demosaiced instead.
            if uprightWidth >= target.width, let jpeg = try? file.previewJPEG(),
               let image = try? fromPreview(jpeg, target: target, flip: file.flip) {
                return (image, .preview, file.cameraClock)
            }
        }
        let decoded = try file.halfSize()
        let target = targetSize(width: decoded.width, height: decoded.height)
        let image = try VipsHandle.from(decoded).thumbnail(width: target.width, height: target.height, profile: nil)
        return (try checked(image.rgbImage(), target), .halfSize, file.cameraClock)
    }

    /// The preview is stored as the sensor sees it: resized into the box
    /// turned the sensor's way, then rotated by the RAW's orientation (its
    /// own EXIF orientation, if any, is ignored).
    private func fromPreview(_ jpeg: Data, target: (width: Int, height: Int), flip: Int32) throws -> RGBImage {
        let swaps = flip & 4 != 0
        let box = swaps ? (target.height, target.width) : (target.width, target.height)
        let preview = try jpeg.withUnsafeBytes { raw in
            try VipsHandle.thumbnail(raw, width: box.0, height: box.1, profile: nil, rotate: false)
        }
        // LibRaw's flip: 3 = upside down, 5 = a quarter turn anticlockwise, 6 = clockwise.
        let turns = switch flip {
        case 3: 2
        case 5: 3
        case 6: 1
        default: 0
        }
        let image = try preview.rotated(clockwiseQuarterTurns: turns)
        return try checked(image.normalisedToRGB(background: settings.background).rgbImage(), target)
    }

    private func checked(_ image: RGBImage, _ target: (width: Int, height: Int)) throws -> RGBImage {
        guard image.width == target.width, image.height == target.height else {
            throw VipsError(message: "resized to \(image.width)x\(image.height), expected \(target.width)x\(target.height)")
        }
        return image
    }
}
