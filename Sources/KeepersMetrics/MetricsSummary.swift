import KeepersCore

/// The content of `metrics.json`: test-set numbers the report shows.
/// Keys are snake_case; the class counts say positive/negative because the
/// positive class is whichever the labels mark true ("good" in practice).
public struct MetricsSummary: Codable, Sendable, Equatable {
    public var auc: Double
    public var aucCILow: Double
    public var aucCIHigh: Double
    public var bootstrap: Int
    public var bootstrapSeed: UInt64
    public var accuracyAt05: Double
    public var confusionAt05: Confusion
    public var youdenThreshold: Double
    public var youdenJ: Double
    public var accuracyAtYouden: Double
    public var confusionAtYouden: Confusion
    public var countPositive: Int
    public var countNegative: Int
    /// Training steps (batches) of the model that produced the scores.
    public var steps: Int
    /// Trainable parameters of that model.
    public var parameters: Int
    /// The validation AUC of the model scored (at its step), when known: next
    /// to the test AUC, it shows how far selection on validation carries over.
    public var valAUC: Double?
    /// Burst groups in the whole manifest and in the test split: the AUC is
    /// per photo, and a group never straddles splits (docs/groups.md).
    public var groups: GroupCounts?
    public var testGroups: GroupCounts?

    enum CodingKeys: String, CodingKey {
        case auc
        case aucCILow = "auc_ci_low"
        case aucCIHigh = "auc_ci_high"
        case bootstrap
        case bootstrapSeed = "bootstrap_seed"
        case accuracyAt05 = "accuracy_at_0_5"
        case confusionAt05 = "confusion_at_0_5"
        case youdenThreshold = "youden_threshold"
        case youdenJ = "youden_j"
        case accuracyAtYouden = "accuracy_at_youden"
        case confusionAtYouden = "confusion_at_youden"
        case countPositive = "count_positive"
        case countNegative = "count_negative"
        case steps
        case parameters
        case valAUC = "val_auc"
        case groups
        case testGroups = "test_groups"
    }

    public init(auc: Double, aucCILow: Double, aucCIHigh: Double, bootstrap: Int, bootstrapSeed: UInt64,
                accuracyAt05: Double, confusionAt05: Confusion, youdenThreshold: Double, youdenJ: Double,
                accuracyAtYouden: Double, confusionAtYouden: Confusion, countPositive: Int,
                countNegative: Int, steps: Int, parameters: Int) {
        self.auc = auc
        self.aucCILow = aucCILow
        self.aucCIHigh = aucCIHigh
        self.bootstrap = bootstrap
        self.bootstrapSeed = bootstrapSeed
        self.accuracyAt05 = accuracyAt05
        self.confusionAt05 = confusionAt05
        self.youdenThreshold = youdenThreshold
        self.youdenJ = youdenJ
        self.accuracyAtYouden = accuracyAtYouden
        self.confusionAtYouden = confusionAtYouden
        self.countPositive = countPositive
        self.countNegative = countNegative
        self.steps = steps
        self.parameters = parameters
    }

    /// An interval wider than this is too uncertain to quote as a firm figure.
    public static let firmIntervalWidth = 0.2

    /// Lines the report shows above everything else.
    public var warnings: [String] {
        let width = aucCIHigh - aucCILow
        guard width > Self.firmIntervalWidth else { return [] }
        return [String(format: "Too few test photos for a firm figure: the test AUC's 95%% interval is %.2f wide "
            + "(%.2f-%.2f), more than %.1f. Add photos, or read the mean and spread of k-fold cross-validation "
            + "(ingest.folds in docs/config.md; make bench-quality) rather than this one split.",
            width, aucCILow, aucCIHigh, Self.firmIntervalWidth)]
    }

    /// Computes every number from test scores (probability of "positive").
    /// Throws if the data is invalid or has only one class.
    public init(scores: [Double], labels: [Bool], bootstrap: Int, seed: UInt64,
                steps: Int, parameters: Int) throws(MetricsError) {
        let curve = try ROCCurve(scores: scores, labels: labels)
        let interval = try bootstrapAUC(scores: scores, labels: labels, resamples: bootstrap, seed: seed)
        let atHalf = try confusion(scores: scores, labels: labels, threshold: 0.5)
        let youden = curve.youden
        self.init(auc: try rocAUC(scores: scores, labels: labels),
                  aucCILow: interval.low, aucCIHigh: interval.high,
                  bootstrap: bootstrap, bootstrapSeed: seed,
                  accuracyAt05: atHalf.accuracy, confusionAt05: atHalf,
                  youdenThreshold: youden.threshold, youdenJ: youden.j,
                  accuracyAtYouden: youden.accuracy, confusionAtYouden: youden.confusion,
                  countPositive: curve.positives, countNegative: curve.negatives,
                  steps: steps, parameters: parameters)
    }
}
