import KeepersImaging

/// Class activation map as a heat overlay on its photo (Zhou et al. 2016,
/// "Learning Deep Features for Discriminative Localization").
///
/// Done in Swift rather than libvips: the map is a few dozen values, the
/// sampling convention must match the network's (pixel centres aligned), and
/// the blend is one multiply-add per pixel on thumbnail-sized tiles.
public enum CAMOverlay {
    /// Weight of the heat colour in the blend.
    public static let opacity = 0.45

    /// `photo` with the map over it: min-max normalised (a flat map is all
    /// cold: it singles out nothing), upsampled bilinearly to the photo's
    /// size, coloured with `jet` and blended at `opacity`.
    public static func overlay(_ photo: RGBImage, cam: [Float], width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0 && cam.count == width * height, "CAM size does not match its values")
        let normalised = normalise(cam)
        var out = photo
        for y in 0..<photo.height {
            for x in 0..<photo.width {
                let heat = sample(normalised, width: width, height: height,
                                  x: (Double(x) + 0.5) * Double(width) / Double(photo.width) - 0.5,
                                  y: (Double(y) + 0.5) * Double(height) / Double(photo.height) - 0.5)
                let colour = jet(heat), old = photo[x, y]
                func mix(_ a: UInt8, _ b: Double) -> UInt8 {
                    UInt8((Double(a) * (1 - opacity) + b * 255 * opacity).rounded())
                }
                out[x, y] = (mix(old.r, colour.r), mix(old.g, colour.g), mix(old.b, colour.b))
            }
        }
        return out
    }

    /// Values scaled to 0...1 by the map's own minimum and maximum.
    static func normalise(_ cam: [Float]) -> [Double] {
        let low = Double(cam.min() ?? 0), high = Double(cam.max() ?? 0)
        guard high > low else { return [Double](repeating: 0, count: cam.count) }
        return cam.map { (Double($0) - low) / (high - low) }
    }

    /// Bilinear interpolation at fractional map coordinates, clamped at the
    /// edges (the outer half-cells repeat the border value).
    static func sample(_ map: [Double], width: Int, height: Int, x: Double, y: Double) -> Double {
        let cx = min(max(x, 0), Double(width - 1)), cy = min(max(y, 0), Double(height - 1))
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = cx - Double(x0), fy = cy - Double(y0)
        let top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx
        let bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx
        return top * (1 - fy) + bottom * fy
    }

    /// The "jet" colour map (as OpenCV's COLORMAP_JET, used in the CAM paper's
    /// figures): dark blue at 0 through cyan, yellow, to dark red at 1.
    /// Components in 0...1.
    static func jet(_ value: Double) -> (r: Double, g: Double, b: Double) {
        let v = min(max(value, 0), 1)
        func ramp(_ centre: Double) -> Double { min(max(1.5 - abs(4 * v - centre), 0), 1) }
        return (ramp(3), ramp(2), ramp(1))
    }
}
