// Report settings (`report:`; docs/config.md).

public struct ReportSettings: Codable, Sendable, Equatable {
    /// Bootstrap resamples for the AUC confidence interval.
    public var bootstrap = 1000
    public var seed: UInt64 = 1
    /// Highest- and lowest-scoring test photos shown in the sample grids.
    public var gridTop = 13
    public var gridBottom = 12
    public init() {}
}
