/// The ROC figure: the curve, the dashed chance diagonal, both axes fixed to
/// 0...1, and the AUC with its confidence interval in the legend. The page is
/// near square so the diagonal is drawn at 45 degrees-ish and areas read true.
///
/// - Parameters:
///   - points: (fpr, tpr) in curve order, e.g. KeepersMetrics' ROCCurve points.
///   - auc: area under the curve.
///   - ci: the 95% confidence interval, if computed.
public func rocChart(points: [(fpr: Double, tpr: Double)], auc: Double,
                     ci: (low: Double, high: Double)?, title: String = "ROC curve (test set)") -> String {
    let panel = ChartPanel(
        xAxis: Axis(title: "False positive rate", range: 0...1),
        yAxis: Axis(title: "True positive rate", range: 0...1),
        series: [
            Series(name: rocLegend(auc: auc, ci: ci), points: points.map { ($0.fpr, $0.tpr) },
                   color: Palette.blue, lineWidth: 2.5),
            Series(name: "Chance", points: [(0, 0), (1, 1)], color: Palette.grey, dash: "6 5", lineWidth: 1.5),
        ])
    return SVGDocument(width: 560, height: 600, title: title, panel: panel).render()
}

/// "ROC (AUC 0.912, 95% CI 0.85-0.96)": three decimals for the estimate, two
/// for the interval, whose own uncertainty makes a third digit noise.
public func rocLegend(auc: Double, ci: (low: Double, high: Double)?) -> String {
    let estimate = "AUC \(formatDecimal(auc, decimals: 3))"
    guard let ci else { return "ROC (\(estimate))" }
    return "ROC (\(estimate), 95% CI \(formatDecimal(ci.low, decimals: 2))-\(formatDecimal(ci.high, decimals: 2)))"
}
