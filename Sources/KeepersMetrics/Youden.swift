/// The operating point that maximises Youden's J = tpr - fpr.
public struct YoudenPoint: Sendable, Equatable {
    public let threshold: Double
    public let j: Double
    public let confusion: Confusion
    public var accuracy: Double { confusion.accuracy }
}

extension ROCCurve {
    /// Youden's optimum over the curve's thresholds; among equal J the higher
    /// threshold wins (the more conservative "keep" decision).
    ///
    /// Only real scores are candidates: the +infinity start point predicts
    /// nothing positive, has J = 0, and could not be written to JSON.
    /// J is compared as the integer tp*N - fp*P (J times P*N), so points whose
    /// J is equal in exact arithmetic tie exactly instead of by rounding luck.
    public var youden: YoudenPoint {
        let p = positives, n = negatives
        // points[1] exists: the curve has at least one finite threshold.
        var best = points[1]
        for point in points.dropFirst(2)
        where point.truePositives * n - point.falsePositives * p > best.truePositives * n - best.falsePositives * p {
            best = point
        }
        let matrix = Confusion(tp: best.truePositives, fp: best.falsePositives,
                               tn: n - best.falsePositives, fn: p - best.truePositives)
        return YoudenPoint(threshold: best.threshold, j: best.tpr - best.fpr, confusion: matrix)
    }
}

/// Youden's optimum for these scores; throws unless both classes are present.
public func youdenPoint(scores: [Double], labels: [Bool]) throws(MetricsError) -> YoudenPoint {
    try ROCCurve(scores: scores, labels: labels).youden
}
