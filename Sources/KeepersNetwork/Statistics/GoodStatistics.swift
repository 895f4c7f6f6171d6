import Foundation

/// Where the training set's good photos (the positive class) lie on each
/// image statistic: the median and a robust spread of their raw values.
/// The trainer stores it in model.h5 (group `good_statistics`,
/// docs/model.md); culling reasons measure a new photo against it
/// ("darker than your keepers") rather than against fixed thresholds.
public struct GoodStatistics: Sendable, Equatable {
    /// Per statistic, raw (not standardised) values.
    public var median: [Float]
    /// Per statistic: 1.4826 x the median absolute deviation from `median`
    /// (the standard deviation, for normally spread values), never below a
    /// quarter of `floor` (the statistic's spread over all training photos):
    /// a statistic nearly constant over the keepers, such as the share of
    /// blown highlights, does not make every small change look huge.
    public var spread: [Float]
    /// How many good photos these come from.
    public var count: Int

    public init(median: [Float], spread: [Float], count: Int) {
        self.median = median
        self.spread = spread
        self.count = count
    }

    /// From the raw statistics of the good photos of the training sample;
    /// `floor` is each statistic's standard deviation over the whole sample
    /// (`StatisticsNormalisation.std`). Nil without a good photo.
    public init?(good samples: [[Float]], floor: [Float]) {
        guard !samples.isEmpty, let k = samples.first?.count, floor.count == k else { return nil }
        var median = [Float](repeating: 0, count: k), spread = median
        for f in 0..<k {
            let values = samples.map { Double($0[f]) }
            let centre = Self.median(values)
            let deviation = 1.4826 * Self.median(values.map { abs($0 - centre) })
            median[f] = Float(centre)
            spread[f] = Float(max(deviation, 0.25 * Double(floor[f]), 1e-6))
        }
        self.init(median: median, spread: spread, count: samples.count)
    }

    /// The middle value, or the mean of the two middle ones (numpy's median).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// How far `value` of statistic `f` lies from the keepers' median, in spreads.
    public func deviation(_ value: Float, statistic f: Int) -> Float {
        (value - median[f]) / spread[f]
    }
}
