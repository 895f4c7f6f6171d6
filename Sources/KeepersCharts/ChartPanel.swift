import KeepersCore
/// One set of axes with its series and legend, drawn into a frame of a
/// document. Several panels can share one SVG (the training chart).
public struct ChartPanel: Sendable {
    public var title: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]

    public init(title: String? = nil, xAxis: Axis, yAxis: Axis, series: [Series]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
    }

    // Layout in user units. The left margin fits a rotated axis title plus
    // tick labels of about six characters.
    static let titleSize = 15.0, labelSize = 12.0, tickSize = 11.0
    static let marginLeft = 70.0, marginRight = 18.0, marginBottom = 50.0
    static let legendRowHeight = 18.0, legendSample = 26.0, legendGap = 18.0

    func render(into svg: inout SVGBuilder, frame: Frame) {
        let xScale = xAxis.scale(for: series.flatMap { $0.points.map(\.x) })
        let yScale = yAxis.scale(for: series.flatMap { $0.points.map(\.y) })
        var top = frame.y + 8
        if let title {
            svg.text(title, x: frame.x + Self.marginLeft, y: top + Self.titleSize, size: Self.titleSize, bold: true)
            top += Self.titleSize + 10
        }
        let legendRows = legendLayout(width: frame.width - Self.marginLeft - Self.marginRight)
        let plot = Frame(x: frame.x + Self.marginLeft,
                         y: top + Double(legendRows.count) * Self.legendRowHeight + 6,
                         width: frame.width - Self.marginLeft - Self.marginRight, height: 0)
        let plotFrame = Frame(x: plot.x, y: plot.y, width: plot.width,
                              height: max(20, frame.maxY - Self.marginBottom - plot.y))
        drawLegend(legendRows, into: &svg, x: plotFrame.x, top: top)
        let map = PlotMapping(frame: plotFrame, x: xScale, y: yScale)
        drawAxes(into: &svg, map: map)
        drawSeries(into: &svg, map: map)
    }

    /// Legend entries flowed into rows that fit the plot width, placed above
    /// the plot so they never hide data.
    func legendLayout(width: Double) -> [[(series: Series, offset: Double)]] {
        var rows: [[(series: Series, offset: Double)]] = []
        var row: [(series: Series, offset: Double)] = [], used = 0.0
        for item in series where !item.name.isEmpty {
            let itemWidth = Self.legendSample + 6 + estimatedTextWidth(item.name, size: Self.labelSize)
            if !row.isEmpty && used + itemWidth > width {
                rows.append(row)
                (row, used) = ([], 0)
            }
            row.append((item, used))
            used += itemWidth + Self.legendGap
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    func drawLegend(_ rows: [[(series: Series, offset: Double)]], into svg: inout SVGBuilder, x: Double, top: Double) {
        svg.raw("<g class=\"legend\">")
        for (index, row) in rows.enumerated() {
            let baseline = top + Double(index) * Self.legendRowHeight + Self.labelSize
            for (item, offset) in row {
                let mid = baseline - Self.labelSize * 0.35
                svg.line(x1: x + offset, y1: mid, x2: x + offset + Self.legendSample, y2: mid,
                         stroke: item.color, width: item.lineWidth, dash: item.dash)
                svg.text(item.name, x: x + offset + Self.legendSample + 6, y: baseline, size: Self.labelSize)
            }
        }
        svg.raw("</g>")
    }

    func drawAxes(into svg: inout SVGBuilder, map: PlotMapping) {
        let plot = map.frame
        svg.rect(plot, fill: "#FFFFFF")
        svg.raw("<g class=\"axes\">")
        for tick in map.x.ticks {
            let px = map.px(tick)
            svg.line(x1: px, y1: plot.y, x2: px, y2: plot.maxY, stroke: "#E3E3E3")
            svg.line(x1: px, y1: plot.maxY, x2: px, y2: plot.maxY + 5, stroke: "#444444")
            svg.text(map.x.label(tick), x: px, y: plot.maxY + 7 + Self.tickSize, size: Self.tickSize, anchor: .middle)
        }
        for tick in map.y.ticks {
            let py = map.py(tick)
            svg.line(x1: plot.x, y1: py, x2: plot.maxX, y2: py, stroke: "#E3E3E3")
            svg.line(x1: plot.x - 5, y1: py, x2: plot.x, y2: py, stroke: "#444444")
            svg.text(map.y.label(tick), x: plot.x - 8, y: py + Self.tickSize * 0.35, size: Self.tickSize, anchor: .end)
        }
        svg.rect(plot, fill: "none", stroke: "#444444")
        svg.text(xAxis.title, x: plot.x + plot.width / 2, y: plot.maxY + 40, size: Self.labelSize, anchor: .middle)
        let titleX = plot.x - Self.marginLeft + 16, titleY = plot.y + plot.height / 2
        svg.text(yAxis.title, x: titleX, y: titleY, size: Self.labelSize, anchor: .middle, rotate: -90)
        svg.raw("</g>")
    }

    /// Each series is a group of polylines: a non-finite value (a NaN loss)
    /// breaks the line rather than being drawn as zero. Lines are clipped to
    /// the plot so a fixed axis range cannot spill over labels.
    func drawSeries(into svg: inout SVGBuilder, map: PlotMapping) {
        let clip = svg.uniqueID("plot")
        let plot = map.frame
        svg.raw("<clipPath id=\"\(clip)\"><rect x=\"\(svg.n(plot.x))\" y=\"\(svg.n(plot.y))\" "
                + "width=\"\(svg.n(plot.width))\" height=\"\(svg.n(plot.height))\"/></clipPath>")
        for item in series {
            var attributes = "class=\"series\" data-name=\"\(escapeMarkup(item.name))\" clip-path=\"url(#\(clip))\" "
                + "fill=\"none\" stroke=\"\(escapeMarkup(item.color))\" stroke-width=\"\(svg.n(item.lineWidth))\" "
                + "stroke-linejoin=\"round\" stroke-linecap=\"round\""
            if let dash = item.dash { attributes += " stroke-dasharray=\"\(escapeMarkup(dash))\"" }
            svg.raw("<g \(attributes)>")
            for segment in finiteSegments(item.points) where segment.count > 1 {
                let pixels = decimate(segment.map { (map.px($0.x), map.py($0.y)) })
                let coordinates = pixels.map { "\(svg.n($0.x)),\(svg.n($0.y))" }
                svg.raw("<polyline points=\"\(coordinates.joined(separator: " "))\"/>")
            }
            if item.markers {
                for point in item.points where point.x.isFinite && point.y.isFinite {
                    svg.raw("<circle cx=\"\(svg.n(map.px(point.x)))\" cy=\"\(svg.n(map.py(point.y)))\" "
                            + "r=\"\(svg.n(item.lineWidth + 1.5))\" fill=\"\(escapeMarkup(item.color))\" stroke=\"none\"/>")
                }
            }
            svg.raw("</g>")
        }
    }

    func finiteSegments(_ points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
        var segments: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                segments[segments.count - 1].append(point)
            } else if !(segments.last?.isEmpty ?? true) {
                segments.append([])
            }
        }
        return segments.filter { !$0.isEmpty }
    }
}

/// Data coordinates to SVG coordinates for one plot area.
struct PlotMapping {
    let frame: Frame
    let x: NiceScale
    let y: NiceScale

    func px(_ value: Double) -> Double {
        frame.x + (value - x.lower) / (x.upper - x.lower) * frame.width
    }

    func py(_ value: Double) -> Double {
        frame.maxY - (value - y.lower) / (y.upper - y.lower) * frame.height
    }
}
