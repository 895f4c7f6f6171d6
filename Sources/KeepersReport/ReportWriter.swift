import Foundation
import KeepersCharts
import KeepersCore
import KeepersImaging
import KeepersMetrics

/// What `writeReport` produced.
public struct ReportResult: Sendable {
    public var summary: MetricsSummary
    /// Names of the files written into the report folder, index.html last.
    public var files: [String]
    /// Photos wrong at the 0.5 threshold.
    public var misclassified: Int
}

/// File names inside the report folder.
public enum ReportFile {
    public static let scores = "scores.csv"
    public static let metrics = "metrics.json"
    public static let rocSVG = "roc.svg", rocPNG = "roc.png"
    public static let trainingSVG = "training.svg", trainingPNG = "training.png"
    public static let samples = "samples.jpg"
    public static let cam = "cam.jpg"
    public static let index = "index.html"
}

/// Charts are rasterised at this multiple of their SVG size, so text stays
/// sharp on high-density screens.
public let chartPNGScale = 1.5
/// JPEG quality of the photo grids.
let gridJPEGQuality = 88

/// Writes the report into `folder` (created if needed), every file atomically
/// and index.html last, so a page never refers to a figure not yet written.
/// A figure with nothing to show (no training log, no activation maps) is not
/// written, and any copy left by an earlier run is removed.
public func writeReport(_ inputs: ReportInputs, to folder: URL) throws -> ReportResult {
    try inputs.validate()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    AtomicFile.removeStaleTemporaries(in: folder)
    var writer = ReportFolder(folder: folder)

    let scores = inputs.photos.map(\.score), labels = inputs.photos.map(\.isPositive)
    var summary = try MetricsSummary(scores: scores, labels: labels, bootstrap: inputs.settings.bootstrap,
                                     seed: inputs.settings.seed, steps: inputs.steps, parameters: inputs.parameters)
    summary.valAUC = inputs.log.last { $0.step == inputs.steps }?.valAUC
    (summary.groups, summary.testGroups) = (inputs.groups, inputs.testGroups)
    try writer.write(ScoresCSV.encode(inputs.photos), as: ReportFile.scores)
    try writer.write(metricsJSON(summary), as: ReportFile.metrics)

    let curve = try ROCCurve(scores: scores, labels: labels)
    var figures = try [writer.chart(
        rocChart(points: curve.rates, auc: summary.auc, ci: (summary.aucCILow, summary.aucCIHigh)),
        svg: ReportFile.rocSVG, png: ReportFile.rocPNG,
        caption: "ROC curve of the test split, with the AUC's \(inputs.settings.bootstrap)-resample bootstrap 95% interval.",
        alt: "ROC curve")]

    let curves = TrainingCurves(log: inputs.log, smoothingWindow: inputs.smoothingWindow)
    if [curves.loss, curves.accuracy, curves.validationAUC, curves.validationAccuracy, curves.validationLoss]
        .allSatisfy(\.isEmpty) {
        try writer.remove(ReportFile.trainingSVG, ReportFile.trainingPNG)
    } else {
        figures.append(try writer.chart(
            trainingChart(curves), svg: ReportFile.trainingSVG, png: ReportFile.trainingPNG,
            caption: "Training: loss (top), accuracy and AUC (bottom) against the batch number. Training curves are "
                + "moving averages over \(inputs.smoothingWindow) batches; validation points evaluate the whole split.",
            alt: "Training curves"))
    }

    figures += try writeGrids(inputs, into: &writer)

    let page = ReportPage(
        title: inputs.title, subtitle: inputs.subtitle, warnings: summary.warnings,
        keyNumbers: summary.keyNumbers(positiveName: inputs.positiveName, negativeName: inputs.negativeName),
        figures: figures,
        architecture: inputs.architecture.map { ($0.layer, $0.outputShape, $0.parameters) },
        configText: inputs.configText)
    try writer.write(page.html(), as: ReportFile.index)
    return ReportResult(summary: summary, files: writer.written,
                        misclassified: inputs.photos.filter(\.isMisclassified).count)
}

/// metrics.json: sorted keys for stable diffs, indented because people read it.
func metricsJSON(_ summary: MetricsSummary) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(summary), as: UTF8.self) + "\n"
}
