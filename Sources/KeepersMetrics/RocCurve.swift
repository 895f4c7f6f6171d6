/// One operating point of a classifier: predicting "positive" for every score
/// >= `threshold` gives these counts.
public struct ROCPoint: Sendable, Equatable {
    /// The score cut-off. The first point of a curve uses +infinity (nothing
    /// predicted positive), as scikit-learn does; it is not JSON-encodable,
    /// which is why this type is not Codable.
    public let threshold: Double
    public let falsePositives: Int
    public let truePositives: Int
    public let fpr: Double
    public let tpr: Double
}

/// The ROC curve with one point per distinct score, highest threshold first,
/// from (0, 0) to (1, 1): scikit-learn's roc_curve with
/// drop_intermediate=false. Tied scores move both rates in one diagonal step,
/// so the trapezoidal area under these points equals `rocAUC`.
public struct ROCCurve: Sendable, Equatable {
    public let points: [ROCPoint]
    public let positives: Int
    public let negatives: Int

    public init(scores: [Double], labels: [Bool]) throws(MetricsError) {
        let data = try LabelledScores(scores: scores, labels: labels)
        try data.requireBothClasses()
        let groups = data.tieGroups()
        let p = data.positives, n = data.negatives
        var points = [ROCPoint(threshold: .infinity, falsePositives: 0, truePositives: 0, fpr: 0, tpr: 0)]
        points.reserveCapacity(groups.ranges.count + 1)
        var tp = 0, fp = 0
        for range in groups.ranges.reversed() {
            for position in range {
                if data.labels[groups.order[position]] { tp += 1 } else { fp += 1 }
            }
            points.append(ROCPoint(threshold: data.scores[groups.order[range.lowerBound]],
                                   falsePositives: fp, truePositives: tp,
                                   fpr: Double(fp) / Double(n), tpr: Double(tp) / Double(p)))
        }
        self.points = points
        positives = p
        negatives = n
    }

    /// (fpr, tpr) pairs in curve order, the shape the ROC chart takes.
    public var rates: [(fpr: Double, tpr: Double)] { points.map { ($0.fpr, $0.tpr) } }

    /// Trapezoidal area under the points; a cross-check of `rocAUC`.
    public var trapezoidalArea: Double {
        zip(points, points.dropFirst()).reduce(0) { area, pair in
            area + (pair.1.fpr - pair.0.fpr) * (pair.0.tpr + pair.1.tpr) / 2
        }
    }
}
