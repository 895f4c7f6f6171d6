import Foundation
import KeepersCharts
import KeepersCore

/// The report's `index.html`: one self-contained page (inline CSS, no
/// scripts, no web fonts) that reads the same offline. Images are referenced
/// by relative path beside the page, or embedded with `Figure.dataURI`.
/// The markup is also well-formed XML (every element closed) so tests and
/// tools can parse it.
public struct ReportPage: Sendable {
    public struct Figure: Sendable {
        /// Relative path ("roc.png") or data URI.
        public var source: String
        public var caption: String
        /// Text for readers who cannot see the image; the caption if nil.
        public var alt: String?

        public init(source: String, caption: String, alt: String? = nil) {
            self.source = source
            self.caption = caption
            self.alt = alt
        }

        /// A data URI for embedding an image in the page itself.
        public static func dataURI(_ bytes: Data, mimeType: String) -> String {
            "data:\(mimeType);base64,\(bytes.base64EncodedString())"
        }
    }

    public var title: String
    /// A line under the title, e.g. the run name and date.
    public var subtitle: String?
    /// Shown in a box above the numbers: what the reader must not miss.
    public var warnings: [String]
    /// Rows of the key-numbers table, already formatted by the caller.
    public var keyNumbers: [(name: String, value: String)]
    public var figures: [Figure]
    public var architecture: [(layer: String, outputShape: String, parameters: Int)]
    /// The configuration the run used, shown verbatim.
    public var configText: String

    public init(title: String, subtitle: String? = nil, warnings: [String] = [], keyNumbers: [(name: String, value: String)],
                figures: [Figure], architecture: [(layer: String, outputShape: String, parameters: Int)],
                configText: String) {
        self.title = title
        self.subtitle = subtitle
        self.warnings = warnings
        self.keyNumbers = keyNumbers
        self.figures = figures
        self.architecture = architecture
        self.configText = configText
    }

    public func html() -> String {
        var out: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\"/>",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            "<title>\(escapeMarkup(title))</title>",
            "<style>\(Self.css)</style>",
            "</head>",
            "<body>",
            "<h1>\(escapeMarkup(title))</h1>",
        ]
        if let subtitle { out.append("<p class=\"subtitle\">\(escapeMarkup(subtitle))</p>") }
        out += warnings.map { "<p class=\"warning\" role=\"alert\">\(escapeMarkup($0))</p>" }
        out += keyNumbersSection() + figuresSection() + architectureSection()
        out += ["<section id=\"config\">", "<h2>Configuration</h2>",
                "<pre>\(escapeMarkup(configText))</pre>", "</section>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    func keyNumbersSection() -> [String] {
        ["<section id=\"numbers\">", "<h2>Key numbers</h2>", "<table class=\"numbers\">", "<tbody>"]
            + keyNumbers.map { "<tr><th scope=\"row\">\(escapeMarkup($0.name))</th><td>\(escapeMarkup($0.value))</td></tr>" }
            + ["</tbody>", "</table>", "</section>"]
    }

    func figuresSection() -> [String] {
        ["<section id=\"figures\">", "<h2>Figures</h2>"]
            + figures.map { figure in
                "<figure><img src=\"\(escapeMarkup(figure.source))\" alt=\"\(escapeMarkup(figure.alt ?? figure.caption))\"/>"
                    + "<figcaption>\(escapeMarkup(figure.caption))</figcaption></figure>"
            }
            + ["</section>"]
    }

    func architectureSection() -> [String] {
        let total = architecture.reduce(0) { $0 + $1.parameters }
        return ["<section id=\"architecture\">", "<h2>Architecture</h2>", "<table class=\"layers\">",
                "<thead><tr><th>Layer</th><th>Output shape</th><th class=\"num\">Parameters</th></tr></thead>",
                "<tbody>"]
            + architecture.map {
                "<tr><td>\(escapeMarkup($0.layer))</td><td>\(escapeMarkup($0.outputShape))</td>"
                    + "<td class=\"num\">\(groupedThousands($0.parameters))</td></tr>"
            }
            + ["</tbody>",
               "<tfoot><tr><th colspan=\"2\">Total</th><td class=\"num\">\(groupedThousands(total))</td></tr></tfoot>",
               "</table>", "</section>"]
    }

    /// System fonts only, so the page renders the same with no network.
    static let css = """
        body{font-family:"DejaVu Sans",Verdana,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;\
        color:#222;line-height:1.45}\
        h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}\
        .subtitle{color:#555;margin-top:0}\
        .warning{background:#fff4d6;border:1px solid #e0b100;border-left:6px solid #e0b100;padding:.7em 1em}\
        table{border-collapse:collapse}th,td{padding:.3em .8em;border-bottom:1px solid #e2e2e2;text-align:left}\
        thead th{border-bottom:2px solid #999}tfoot th,tfoot td{border-top:2px solid #999;font-weight:bold}\
        .num{text-align:right;font-variant-numeric:tabular-nums}\
        table.numbers th{font-weight:normal;color:#444}table.numbers td{font-weight:bold}\
        figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\
        figcaption{color:#444;font-size:.95em;margin-top:.4em}\
        pre{background:#f6f6f6;border:1px solid #ddd;padding:1em;overflow:auto;font-size:.9em}
        """
}
