import KeepersCore
/// A standalone SVG 1.1 document of one or more chart panels with a title,
/// on a white background (the PNG made from it has no transparency).
public struct SVGDocument: Sendable {
    public var width: Double
    public var height: Double
    public var title: String
    /// Panels and the frames they are drawn in.
    public var panels: [(panel: ChartPanel, frame: Frame)]

    public init(width: Double = 640, height: Double = 480, title: String,
                panels: [(panel: ChartPanel, frame: Frame)]) {
        self.width = width
        self.height = height
        self.title = title
        self.panels = panels
    }

    /// One panel filling the page under the title.
    public init(width: Double = 640, height: Double = 480, title: String, panel: ChartPanel) {
        self.init(width: width, height: height, title: title,
                  panels: [(panel, Frame(x: 0, y: Self.titleHeight, width: width, height: height - Self.titleHeight))])
    }

    static let titleHeight = 36.0

    public func render() -> String {
        var svg = SVGBuilder()
        let w = svg.n(width), h = svg.n(height)
        svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>")
        svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" "
                + "viewBox=\"0 0 \(w) \(h)\" font-family=\"DejaVu Sans, sans-serif\">")
        svg.raw("<title>\(escapeMarkup(title))</title>")
        svg.rect(Frame(x: 0, y: 0, width: width, height: height), fill: "#FFFFFF")
        svg.text(title, x: width / 2, y: 25, size: 17, anchor: .middle, bold: true)
        for (panel, frame) in panels { panel.render(into: &svg, frame: frame) }
        svg.raw("</svg>")
        return svg.lines.joined(separator: "\n") + "\n"
    }
}
