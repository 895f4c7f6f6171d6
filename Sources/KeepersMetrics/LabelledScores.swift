/// Scores with their labels, checked once so every metric can rely on equal
/// lengths and finite values (a NaN would make sorting, and so every rank,
/// meaningless without any error).
struct LabelledScores {
    let scores: [Double]
    /// true = positive ("good").
    let labels: [Bool]
    let positives: Int
    var negatives: Int { scores.count - positives }

    init(scores: [Double], labels: [Bool]) throws(MetricsError) {
        guard scores.count == labels.count else {
            throw .lengthMismatch(scores: scores.count, labels: labels.count)
        }
        guard !scores.isEmpty else { throw .empty }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteScore(index: bad) }
        self.scores = scores
        self.labels = labels
        positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// Throws unless both classes are present.
    func requireBothClasses() throws(MetricsError) {
        guard positives > 0, negatives > 0 else {
            throw .singleClass(positives: positives, negatives: negatives)
        }
    }

    /// Indices sorted by ascending score, cut into runs of equal score. Ties
    /// must be handled as whole groups: that is what makes AUC count a tied
    /// pair as 1/2 and what gives one ROC step per distinct threshold.
    func tieGroups() -> TieGroups {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranges: [Range<Int>] = []
        var start = 0
        for position in 1...order.count
        where position == order.count || scores[order[position]] != scores[order[start]] {
            ranges.append(start..<position)
            start = position
        }
        return TieGroups(order: order, ranges: ranges)
    }
}

struct TieGroups {
    /// Indices into the scores, ascending by score.
    let order: [Int]
    /// Positions in `order` that share one score, ascending.
    let ranges: [Range<Int>]
}
