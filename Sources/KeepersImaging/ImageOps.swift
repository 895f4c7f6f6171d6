internal import CVips

/// Whole-image operations on RGBImage, done by libvips.
public enum ImageOps {
    public static func gaussianBlur(_ image: RGBImage, sigma: Double) throws -> RGBImage {
        try run { try VipsHandle.from(image).apply("gaussblur") { kp_gaussblur($0, $1, sigma) } }
    }

    /// Rotates by a multiple of 90 degrees clockwise.
    public static func rotate(_ image: RGBImage, clockwiseQuarterTurns turns: Int) throws -> RGBImage {
        let angle: VipsAngle
        switch ((turns % 4) + 4) % 4 {
        case 1: angle = VIPS_ANGLE_D90
        case 2: angle = VIPS_ANGLE_D180
        case 3: angle = VIPS_ANGLE_D270
        default: return image
        }
        return try run { try VipsHandle.from(image).apply("rot") { kp_rot($0, $1, angle) } }
    }

    /// Resizes by `scale` (lanczos3).
    public static func resize(_ image: RGBImage, scale: Double) throws -> RGBImage {
        try run { try VipsHandle.from(image).apply("resize") { kp_resize($0, $1, scale) } }
    }

    private static func run(_ body: () throws -> VipsHandle) throws -> RGBImage {
        try Vips.start()
        return try Vips.attributed { try body().normalisedToRGB(background: [255, 255, 255]).rgbImage() }
    }
}
