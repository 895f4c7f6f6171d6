import Foundation

/// Per-statistic mean and standard deviation over training images: the
/// dense layer sees (s - mean) / std. Computed once before training from the
/// training data, so it is a pure function of the data; stored in model.h5.
public struct StatisticsNormalisation: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    public static let identity = StatisticsNormalisation(
        mean: .init(repeating: 0, count: ImageStatistics.count), std: .init(repeating: 1, count: ImageStatistics.count))

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Mean and population standard deviation of `samples` (each 16 values),
    /// summed in order in Double; a constant statistic gets std 1.
    public init(samples: [[Float]]) {
        let n = Double(max(samples.count, 1))
        var mean = [Double](repeating: 0, count: ImageStatistics.count)
        var squares = mean
        for sample in samples {
            for k in 0..<ImageStatistics.count {
                mean[k] += Double(sample[k])
                squares[k] += Double(sample[k]) * Double(sample[k])
            }
        }
        mean = mean.map { $0 / n }
        let std = zip(squares, mean).map { max($0 / n - $1 * $1, 0).squareRoot() }
        self.mean = mean.map { Float($0) }
        self.std = std.map { $0 > 1e-6 ? Float($0) : 1 }
    }

    public func apply(_ values: [Float]) -> [Float] {
        (0..<values.count).map { (values[$0] - mean[$0]) / std[$0] }
    }
}
