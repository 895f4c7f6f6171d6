/// Area under the ROC curve, exactly as the Mann-Whitney U statistic counts
/// it: the fraction of (positive, negative) pairs in which the positive scores
/// higher, a tied pair counting 1/2. This equals scikit-learn's roc_auc_score.
///
/// Computed from ranks (ties get the average of the ranks they span) in
/// O(n log n). Ranks are kept doubled so they stay integers: the average of
/// positions i...j (1-based) is (i + j) / 2, and the sum, hence U, is exact;
/// the only rounding is the final division.
public func rocAUC(scores: [Double], labels: [Bool]) throws(MetricsError) -> Double {
    let data = try LabelledScores(scores: scores, labels: labels)
    try data.requireBothClasses()
    let groups = data.tieGroups()
    var doubledRankSum = 0
    for range in groups.ranges {
        // 0-based positions lo..<hi are 1-based ranks lo+1 ... hi.
        let doubledAverageRank = (range.lowerBound + 1) + range.upperBound
        for position in range where data.labels[groups.order[position]] {
            doubledRankSum += doubledAverageRank
        }
    }
    let p = data.positives, n = data.negatives
    // U = R+ - p(p+1)/2, so 2U = 2R+ - p(p+1).
    let doubledU = doubledRankSum - p * (p + 1)
    return Double(doubledU) / Double(2 * p * n)
}
