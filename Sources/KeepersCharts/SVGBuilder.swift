import KeepersCore
/// A rectangle in SVG user units (y grows downwards).
public struct Frame: Sendable, Equatable {
    public var x, y, width, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    var maxX: Double { x + width }
    var maxY: Double { y + height }
}

/// Appends SVG elements as text. Every string that reaches the output goes
/// through `escapeMarkup`; coordinates are rounded to 0.01 units, which is
/// far below a pixel and keeps the files small and stable.
struct SVGBuilder {
    private(set) var lines: [String] = []
    /// Unique id suffix for clip paths when several panels share a document.
    private var nextID = 0

    mutating func raw(_ line: String) { lines.append(line) }

    mutating func uniqueID(_ prefix: String) -> String {
        nextID += 1
        return "\(prefix)\(nextID)"
    }

    mutating func rect(_ frame: Frame, fill: String, stroke: String? = nil) {
        raw("<rect x=\"\(n(frame.x))\" y=\"\(n(frame.y))\" width=\"\(n(frame.width))\" "
            + "height=\"\(n(frame.height))\" fill=\"\(escapeMarkup(fill))\""
            + (stroke.map { " stroke=\"\(escapeMarkup($0))\" stroke-width=\"1\"" } ?? "") + "/>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        raw("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" "
            + "stroke=\"\(escapeMarkup(stroke))\" stroke-width=\"\(n(width))\""
            + (dash.map { " stroke-dasharray=\"\(escapeMarkup($0))\"" } ?? "") + "/>")
    }

    enum Anchor: String { case start, middle, end }

    /// Text whose baseline is at y. `rotate` turns it about (x, y) in degrees.
    mutating func text(_ content: String, x: Double, y: Double, size: Double, anchor: Anchor = .start,
                       bold: Bool = false, rotate: Double? = nil, fill: String = "#222222") {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if let rotate { attributes += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        raw("<text \(attributes)>\(escapeMarkup(content))</text>")
    }

    func n(_ value: Double) -> String { formatDecimal((value * 100).rounded() / 100, decimals: 2).trimmedZeros }
}

extension String {
    /// "12.50" -> "12.5", "3.00" -> "3".
    var trimmedZeros: String {
        guard contains(".") else { return self }
        var text = Substring(self)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }
}

/// Rough width of text in DejaVu Sans, whose average advance is about 0.6 em.
/// Only used to lay out legends, where a few pixels of error are harmless.
func estimatedTextWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * 0.6
}
