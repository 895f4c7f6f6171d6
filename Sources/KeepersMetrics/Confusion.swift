/// Counts of a binary decision against the truth. Keys are the usual
/// abbreviations so `metrics.json` stays short.
public struct Confusion: Codable, Sendable, Equatable {
    public var tp: Int
    public var fp: Int
    public var tn: Int
    public var fn: Int

    public init(tp: Int, fp: Int, tn: Int, fn: Int) {
        self.tp = tp
        self.fp = fp
        self.tn = tn
        self.fn = fn
    }

    public var total: Int { tp + fp + tn + fn }
    /// Fraction of correct decisions; NaN only for an empty matrix, which the
    /// functions below never return.
    public var accuracy: Double { Double(tp + tn) / Double(total) }
}

/// Confusion matrix when `score >= threshold` is predicted positive. Needs no
/// particular class to be present (accuracy on one class is still defined).
public func confusion(scores: [Double], labels: [Bool], threshold: Double) throws(MetricsError) -> Confusion {
    let data = try LabelledScores(scores: scores, labels: labels)
    var result = Confusion(tp: 0, fp: 0, tn: 0, fn: 0)
    for (score, label) in zip(data.scores, data.labels) {
        switch (score >= threshold, label) {
        case (true, true): result.tp += 1
        case (true, false): result.fp += 1
        case (false, false): result.tn += 1
        case (false, true): result.fn += 1
        }
    }
    return result
}

/// Fraction of examples classified correctly when `score >= threshold` is
/// predicted positive.
public func accuracy(scores: [Double], labels: [Bool], threshold: Double) throws(MetricsError) -> Double {
    try confusion(scores: scores, labels: labels, threshold: threshold).accuracy
}
