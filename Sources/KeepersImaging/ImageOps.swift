internal import CVips

/// Whole-image operations on RGBImage, done by libvips.
public enum ImageOps {
    public static func gaussianBlur(_ image: RGBImage, sigma: Double) throws -> RGBImage {
        try run { try VipsHandle.from(image).apply("gaussblur") { kp_gaussblur($0, $1, sigma) } }
    }

    /// Rotates by a multiple of 90 degrees clockwise.
    public static func rotate(_ image: RGBImage, clockwiseQuarterTurns turns: Int) throws -> RGBImage {
        guard ((turns % 4) + 4) % 4 != 0 else { return image }
        return try run { try VipsHandle.from(image).rotated(clockwiseQuarterTurns: turns) }
    }

    /// Resizes by `scale` (lanczos3).
    public static func resize(_ image: RGBImage, scale: Double) throws -> RGBImage {
        try run { try VipsHandle.from(image).apply("resize") { kp_resize($0, $1, scale) } }
    }

    private static func run(_ body: () throws -> VipsHandle) throws -> RGBImage {
        return try Vips.attributed { try body().normalisedToRGB(background: [255, 255, 255]).rgbImage() }
    }
}
