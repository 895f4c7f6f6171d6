internal import CVips
import Foundation

/// SVG to pixels through libvips' SVG loader (librsvg), so the report's
/// charts exist as PNG for viewers and pages that do not show SVG.
public enum SVGRaster {
    /// The SVG drawn at `scale` times its own width and height, as 8-bit RGB
    /// flattened onto white (the charts paint their own white background;
    /// flattening only matters for an SVG that leaves areas transparent).
    public static func image(svg: String, scale: Double = 1) throws -> RGBImage {
        var bytes = Array(svg.utf8)
        // Keepers' own SVG: the one use of a loader that photos may not use.
        return try LoaderPolicy.withTrusted("VipsForeignLoadSvgBuffer") {
            let handle = try bytes.withUnsafeMutableBytes { raw in
                // svgload_buffer does not keep the buffer: the lazy image is
                // computed below, while `bytes` is still alive.
                try VipsHandle.make("svgload") { kp_svgload_buffer(raw.baseAddress, raw.count, $0, scale) }
                    .normalisedToRGB(background: [255, 255, 255]).rgbImage()
            }
            return handle
        }
    }

    /// The SVG drawn at `scale`, encoded as PNG.
    public static func png(svg: String, scale: Double = 1) throws -> Data {
        try StoredImage.pngData(image(svg: svg, scale: scale))
    }
}
