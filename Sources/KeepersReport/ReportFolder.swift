import Foundation
import KeepersCharts
import KeepersCore
import KeepersImaging

/// The report folder being written: atomic writes, and the list of what was
/// written for `ReportResult`.
struct ReportFolder {
    let folder: URL
    private(set) var written: [String] = []

    init(folder: URL) { self.folder = folder }

    mutating func write(_ data: Data, as name: String) throws {
        try AtomicFile.write(data, to: folder.appendingPathComponent(name))
        written.append(name)
    }

    mutating func write(_ text: String, as name: String) throws {
        try write(Data(text.utf8), as: name)
    }

    /// The chart as SVG and as PNG rasterised from that SVG; the page shows the PNG.
    mutating func chart(_ svg: String, svg svgName: String, png pngName: String,
                        caption: String, alt: String) throws -> ReportPage.Figure {
        try write(svg, as: svgName)
        try write(SVGRaster.png(svg: svg, scale: chartPNGScale), as: pngName)
        return ReportPage.Figure(source: pngName, caption: caption, alt: alt)
    }

    /// Deletes figures an earlier run wrote that this run does not produce.
    func remove(_ names: String...) throws {
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            try FileManager.default.removeItem(at: url)
        }
    }
}
