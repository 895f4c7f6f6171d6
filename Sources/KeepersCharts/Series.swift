/// One line of a chart.
public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    /// Any SVG colour, e.g. "#0072B2".
    public var color: String
    /// SVG stroke-dasharray, e.g. "6 4"; nil for a solid line.
    public var dash: String?
    public var lineWidth: Double
    /// Draw a dot at every point: for sparse series such as validation runs,
    /// where a single evaluation would otherwise be invisible.
    public var markers: Bool

    public init(name: String, points: [(x: Double, y: Double)], color: String, dash: String? = nil,
                lineWidth: Double = 2, markers: Bool = false) {
        self.name = name
        self.points = points
        self.color = color
        self.dash = dash
        self.lineWidth = lineWidth
        self.markers = markers
    }
}

/// The Okabe-Ito palette: distinguishable with the common colour-vision
/// deficiencies and in greyscale print.
public enum Palette {
    public static let blue = "#0072B2"
    public static let orange = "#E69F00"
    public static let green = "#009E73"
    public static let vermillion = "#D55E00"
    public static let purple = "#CC79A7"
    public static let grey = "#666666"
}

/// An axis: its title and, optionally, a fixed range instead of one fitted
/// to the data.
public struct Axis: Sendable {
    public var title: String
    public var range: ClosedRange<Double>?
    /// Limits a fitted range may not cross (e.g. 0...1 for accuracy).
    public var bounds: ClosedRange<Double>?

    public init(title: String, range: ClosedRange<Double>? = nil, bounds: ClosedRange<Double>? = nil) {
        self.title = title
        self.range = range
        self.bounds = bounds
    }

    func scale(for values: [Double]) -> NiceScale {
        if let range { return NiceScale(minimum: range.lowerBound, maximum: range.upperBound) }
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if let bounds {
            low = min(max(low, bounds.lowerBound), bounds.upperBound)
            high = min(max(high, bounds.lowerBound), bounds.upperBound)
        }
        let fitted = NiceScale(minimum: low, maximum: high)
        guard let bounds, fitted.lower < bounds.lowerBound || fitted.upper > bounds.upperBound else {
            return fitted
        }
        // Rounding outwards overshot a hard limit (e.g. accuracy to 1.2): fit
        // the part inside the limits again.
        return NiceScale(minimum: max(fitted.lower, bounds.lowerBound), maximum: min(fitted.upper, bounds.upperBound))
    }
}
