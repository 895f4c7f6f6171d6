import KeepersCore

/// A percentile bootstrap confidence interval for ROC AUC.
public struct AUCInterval: Sendable, Equatable {
    public let low: Double
    public let high: Double
    /// Coverage, e.g. 0.95.
    public let level: Double
    public let resamples: Int
    public let seed: UInt64
}

/// Percentile bootstrap interval for the ROC AUC.
///
/// Each resample draws, with replacement, as many positives from the
/// positives and as many negatives from the negatives as the data has
/// (stratified), so every resample has both classes and a defined AUC.
/// Draw k of resample b is `CounterRandom(seed).below(_, stream: b, counter: k)`,
/// positives first: the interval is a pure function of (data, resamples, seed).
/// The bounds are the (1-level)/2 and (1+level)/2 quantiles of the resampled
/// AUCs, linearly interpolated (numpy's default percentile method).
public func bootstrapAUC(scores: [Double], labels: [Bool], resamples: Int, seed: UInt64,
                         level: Double = 0.95) throws(MetricsError) -> AUCInterval {
    guard resamples >= 1 else {
        throw .invalidParameter("bootstrap needs at least 1 resample, got \(resamples)")
    }
    guard level > 0, level < 1 else {
        throw .invalidParameter("confidence level must lie strictly between 0 and 1, got \(level)")
    }
    let data = try LabelledScores(scores: scores, labels: labels)
    try data.requireBothClasses()
    let groups = data.tieGroups()
    let resampler = StratifiedResampler(data: data, groups: groups, seed: seed)
    let aucs = (0..<resamples).map { resampler.auc(resample: UInt64($0)) }.sorted()
    return AUCInterval(low: quantile(sortedValues: aucs, (1 - level) / 2),
                       high: quantile(sortedValues: aucs, (1 + level) / 2),
                       level: level, resamples: resamples, seed: seed)
}

/// Linear interpolation between closest ranks (numpy's "linear" method).
func quantile(sortedValues values: [Double], _ q: Double) -> Double {
    let position = q * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, values.count - 1)
    let fraction = position - Double(lower)
    return values[lower] + (values[upper] - values[lower]) * fraction
}

/// Resamples as multiplicities over the score-sorted data, so each resample's
/// AUC is one O(n) pass over the tie groups instead of a fresh sort.
struct StratifiedResampler {
    let groups: TieGroups
    /// Label at each sorted position.
    let isPositive: [Bool]
    /// Sorted positions of the positives and of the negatives.
    let positivePositions: [Int]
    let negativePositions: [Int]
    let random: CounterRandom

    init(data: LabelledScores, groups: TieGroups, seed: UInt64) {
        self.groups = groups
        let labels = groups.order.map { data.labels[$0] }
        isPositive = labels
        positivePositions = labels.indices.filter { labels[$0] }
        negativePositions = labels.indices.filter { !labels[$0] }
        random = CounterRandom(seed: seed)
    }

    /// How many times each sorted position is drawn in resample `b`.
    func multiplicities(resample b: UInt64) -> [Int] {
        var weights = [Int](repeating: 0, count: isPositive.count)
        var counter: UInt64 = 0
        for pool in [positivePositions, negativePositions] {
            for _ in pool.indices {
                weights[pool[random.below(pool.count, stream: b, counter: counter)]] += 1
                counter += 1
            }
        }
        return weights
    }

    func auc(resample b: UInt64) -> Double {
        weightedAUC(weights: multiplicities(resample: b))
    }

    /// AUC of the multiset in which sorted position i appears weights[i]
    /// times. Walking groups upwards, a positive beats every negative below
    /// its group and ties with the negatives inside it; counts are doubled to
    /// keep the half exact.
    func weightedAUC(weights: [Int]) -> Double {
        var negativesBelow = 0, doubledU = 0, positives = 0
        for range in groups.ranges {
            var groupPositives = 0, groupNegatives = 0
            for position in range {
                if isPositive[position] { groupPositives += weights[position] } else {
                    groupNegatives += weights[position]
                }
            }
            doubledU += groupPositives * (2 * negativesBelow + groupNegatives)
            negativesBelow += groupNegatives
            positives += groupPositives
        }
        return Double(doubledU) / Double(2 * positives * negativesBelow)
    }
}
