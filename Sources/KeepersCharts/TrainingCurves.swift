/// What the training figure plots, each as (batch number, value).
///
/// The training series are expected already smoothed (KeepersMetrics'
/// `movingAverage`); this module draws and does not depend on the metrics.
/// `smoothingWindow` only names the window in the legend.
public struct TrainingCurves: Sendable {
    public var loss: [(batch: Double, value: Double)]
    public var accuracy: [(batch: Double, value: Double)]
    public var validationAUC: [(batch: Double, value: Double)]
    public var validationAccuracy: [(batch: Double, value: Double)]
    /// Drawn with the training loss, so over-fitting shows as the two parting.
    public var validationLoss: [(batch: Double, value: Double)]
    public var smoothingWindow: Int

    public init(loss: [(batch: Double, value: Double)], accuracy: [(batch: Double, value: Double)],
                validationAUC: [(batch: Double, value: Double)],
                validationAccuracy: [(batch: Double, value: Double)],
                validationLoss: [(batch: Double, value: Double)] = [], smoothingWindow: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.validationAUC = validationAUC
        self.validationAccuracy = validationAccuracy
        self.validationLoss = validationLoss
        self.smoothingWindow = smoothingWindow
    }
}

/// Two stacked panels sharing the batch axis: loss on top (its own scale,
/// since loss and rates have different units), accuracy and AUC below on a
/// scale fitted to the data but kept within 0...1. Series without points are
/// left out of the legend rather than shown empty.
public func trainingChart(_ curves: TrainingCurves, title: String = "Training") -> String {
    let smoothed = "moving average of \(curves.smoothingWindow)"
    let batches = (curves.loss + curves.accuracy + curves.validationAUC + curves.validationAccuracy
        + curves.validationLoss).map(\.batch)
    // Both panels get the same batch range so they line up.
    let scale = Axis(title: "").scale(for: batches)
    let batchAxis = Axis(title: "Batch", range: scale.lower...scale.upper)
    func series(_ name: String, _ points: [(batch: Double, value: Double)], _ color: String,
                dash: String? = nil, markers: Bool = false) -> Series? {
        points.isEmpty ? nil
            : Series(name: name, points: points.map { ($0.batch, $0.value) }, color: color, dash: dash, markers: markers)
    }
    let lossPanel = ChartPanel(
        title: "Loss", xAxis: batchAxis, yAxis: Axis(title: "Cross-entropy loss"),
        series: [
            series("Training loss (\(smoothed))", curves.loss, Palette.vermillion),
            series("Validation loss", curves.validationLoss, Palette.purple, dash: "6 4", markers: true),
        ].compactMap { $0 })
    let ratePanel = ChartPanel(
        title: "Accuracy and AUC", xAxis: batchAxis, yAxis: Axis(title: "Rate", bounds: 0...1),
        series: [
            series("Training accuracy (\(smoothed))", curves.accuracy, Palette.orange),
            series("Validation accuracy", curves.validationAccuracy, Palette.green, dash: "6 4", markers: true),
            series("Validation AUC", curves.validationAUC, Palette.blue, markers: true),
        ].compactMap { $0 })
    let width = 640.0, height = 760.0, top = SVGDocument.titleHeight
    let half = (height - top) / 2
    return SVGDocument(width: width, height: height, title: title, panels: [
        (lossPanel, Frame(x: 0, y: top, width: width, height: half)),
        (ratePanel, Frame(x: 0, y: top + half, width: width, height: half)),
    ]).render()
}
