import KeepersCore
internal import CVips

/// Anti-aliased text as coverage: one byte per pixel, 0 = untouched,
/// 255 = fully inked. Drawing it in any colour is `RGBImage.draw(_:x:y:colour:)`.
public struct TextMask: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let coverage: [UInt8]

    /// The top-left `width` x `height` part (or all of it, if smaller).
    public func cropped(width: Int, height: Int) -> TextMask {
        let w = min(width, self.width), h = min(height, self.height)
        guard w != self.width || h != self.height else { return self }
        var kept: [UInt8] = []
        kept.reserveCapacity(w * h)
        for row in 0..<h { kept += coverage[(row * self.width)..<(row * self.width + w)] }
        return TextMask(width: w, height: h, coverage: kept)
    }
}

/// Text through libvips' `vips_text` (Pango and fontconfig: DejaVu on Debian).
public enum TextRenderer {
    /// Renders plain text (not markup: `&` and `<` are drawn as themselves).
    /// - Parameter font: a Pango font description, e.g. "DejaVu Sans Bold 14".
    public static func render(_ text: String, font: String = "DejaVu Sans 12", dpi: Int = 72) throws -> TextMask {
        // vips_text refuses empty text; nothing to draw is a valid answer.
        guard !text.isEmpty else { return TextMask(width: 0, height: 0, coverage: []) }
        return try Vips.attributed {
            let handle = try VipsHandle.make("text") { kp_text($0, escapeMarkup(text), font, Int32(dpi)) }
            return TextMask(width: handle.width, height: handle.height, coverage: try handle.pixels())
        }
    }
}

/// Pixel-level drawing on RGBImage. Composing a report figure means copying
/// a few dozen small tiles and filling rectangles: plain loops over the
/// interleaved bytes are simpler than building a libvips pipeline of
/// inserts and draws, and fast at this size. Everything clips to the image.
extension RGBImage {
    public typealias Colour = (r: UInt8, g: UInt8, b: UInt8)

    public mutating func fill(x: Int, y: Int, width: Int, height: Int, colour: Colour) {
        let xs = clipped(x, width, to: self.width)
        for row in clipped(y, height, to: self.height) where !xs.isEmpty {
            for column in xs { self[column, row] = colour }
        }
    }

    /// A rectangle outline `thickness` pixels wide, drawn inside the rectangle.
    public mutating func outline(x: Int, y: Int, width: Int, height: Int, thickness: Int, colour: Colour) {
        fill(x: x, y: y, width: width, height: thickness, colour: colour)
        fill(x: x, y: y + height - thickness, width: width, height: thickness, colour: colour)
        fill(x: x, y: y, width: thickness, height: height, colour: colour)
        fill(x: x + width - thickness, y: y, width: thickness, height: height, colour: colour)
    }

    /// Copies `image` with its top-left corner at (x, y).
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        let columns = clipped(x, image.width, to: width)
        guard !columns.isEmpty else { return }
        let rowBytes = columns.count * 3
        for row in clipped(y, image.height, to: height) {
            let source = ((row - y) * image.width + (columns.lowerBound - x)) * 3
            let target = (row * width + columns.lowerBound) * 3
            pixels.replaceSubrange(target..<(target + rowBytes), with: image.pixels[source..<(source + rowBytes)])
        }
    }

    /// The part of start..<start+length inside 0..<limit; empty (never
    /// inverted, which would trap) when they do not overlap.
    private func clipped(_ start: Int, _ length: Int, to limit: Int) -> Range<Int> {
        let lower = min(max(0, start), limit)
        return lower..<max(lower, min(limit, start + length))
    }

    /// Blends `colour` in by the mask's coverage, top-left corner at (x, y).
    public mutating func draw(_ mask: TextMask, x: Int, y: Int, colour: Colour) {
        for my in 0..<mask.height where (0..<height).contains(y + my) {
            for mx in 0..<mask.width where (0..<width).contains(x + mx) {
                let alpha = Int(mask.coverage[my * mask.width + mx])
                guard alpha > 0 else { continue }
                let old = self[x + mx, y + my]
                func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Int(a) * (255 - alpha) + Int(b) * alpha + 127) / 255) }
                self[x + mx, y + my] = (mix(old.r, colour.r), mix(old.g, colour.g), mix(old.b, colour.b))
            }
        }
    }
}
