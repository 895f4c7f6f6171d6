// In KeepersCore rather than KeepersConfig so that the oneDNN wrapper
// (KeepersNetwork) takes the architecture as a plain value without
// depending on the config reader; KeepersConfig fills it from `model`.

public struct ConvLayerSpec: Codable, Sendable, Equatable {
    public var filters: Int
    public var pool: Bool
    public init(filters: Int, pool: Bool) {
        self.filters = filters
        self.pool = pool
    }
}

/// How the last convolution's feature maps become one vector per image.
public enum GlobalPooling: String, Codable, Sendable, CaseIterable {
    /// Global average pooling (the seed's network).
    case average
    /// Global average and global max pooling, concatenated.
    case averageMax = "average+max"
}

public struct ModelSettings: Codable, Sendable, Equatable {
    /// 3x3 convolutions (stride 1, padding 1, ReLU), each optionally followed by
    /// a 2x2 max-pool; then global pooling and one dense output.
    public var layers = [
        ConvLayerSpec(filters: 16, pool: true), ConvLayerSpec(filters: 32, pool: true),
        ConvLayerSpec(filters: 32, pool: true), ConvLayerSpec(filters: 48, pool: true),
        ConvLayerSpec(filters: 48, pool: false),
    ]
    public var pooling = GlobalPooling.averageMax
    /// Feed the 25 global image statistics (docs/model.md) to the head
    /// beside the pooled features.
    public var statistics = true
    /// Units of a ReLU hidden layer between the pooled features (and
    /// statistics) and the logit; 0 = the dense output alone.
    public var hidden = 32
    /// Score an image as the mean logit of it and its mirror image. Off by
    /// default: on the quality benchmark it changed no fold's AUC by more
    /// than 0.003 and halves the scoring rate (docs/quality-benchmark.md).
    public var flipAverage = false
    /// Gradient-boosted trees on the statistics, whose logit the network's
    /// own adds to (docs/model.md); nil = none.
    public var trees: TreeSettings?
    /// A generalised additive model of the statistics (spline per statistic,
    /// L2-penalised logistic regression), whose logit the network's own adds
    /// to (docs/model.md); nil = none. On by default: on photos of places the
    /// model never saw it ranked best (docs/quality-benchmark.md). A model
    /// file without the key was written before it existed and has none.
    public var additive: AdditiveSettings? = AdditiveSettings()
    /// A pretrained backbone whose ImageNet features a penalised logistic
    /// regression reads beside the statistics models (docs/backbone.md);
    /// nil = none. Off by default (docs/quality-benchmark.md says why).
    public var backbone: BackboneSettings?
    public init() {}

    /// A model file written before these keys existed holds only `layers`:
    /// it decodes as the network it was (average pooling, nothing else).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode([ConvLayerSpec].self, forKey: .layers)
        pooling = try c.decodeIfPresent(GlobalPooling.self, forKey: .pooling) ?? .average
        statistics = try c.decodeIfPresent(Bool.self, forKey: .statistics) ?? false
        flipAverage = try c.decodeIfPresent(Bool.self, forKey: .flipAverage) ?? false
        hidden = try c.decodeIfPresent(Int.self, forKey: .hidden) ?? 0
        trees = try c.decodeIfPresent(TreeSettings.self, forKey: .trees)
        additive = try c.decodeIfPresent(AdditiveSettings.self, forKey: .additive)
        backbone = try c.decodeIfPresent(BackboneSettings.self, forKey: .backbone)
    }
}

/// `model.backbone`: which pretrained network gives features, and how
/// strongly the logistic regression on them is penalised.
public struct BackboneSettings: Codable, Sendable, Equatable {
    /// The one backbone Keepers ships a set-up for.
    public static let efficientNetLite0 = "efficientnet-lite0"
    public var name = BackboneSettings.efficientNetLite0
    /// Inverse L2 strength, as scikit-learn's C, on standardised features.
    public var c = 0.001
    /// Folds of the cross-fit that gives each training image a backbone
    /// logit from a model fitted without it, for the network to add to.
    public var crossFit = 5
    public init() {}
}

/// How the additive model of the statistics is fitted (`model.additive`).
public struct AdditiveSettings: Codable, Sendable, Equatable {
    /// Quantile knots per statistic; a cubic spline on them has knots + 2 bases.
    public var knots = 5
    /// Inverse L2 strength, as scikit-learn's C: the fit minimises
    /// C * (sum of log-losses) + |coefficients|^2 / 2.
    public var c = 0.1
    /// Folds of the cross-fit that gives each training image a logit from a
    /// model fitted without it, for the network to add to (0 = none).
    public var crossFit = 5
    public init() {}
}

/// How the boosted trees are grown (`model.trees`): binary log-loss,
/// best-first trees on binned statistics, as scikit-learn's
/// HistGradientBoostingClassifier grows them.
public struct TreeSettings: Codable, Sendable, Equatable {
    /// Trees (boosting rounds).
    public var iterations = 300
    /// Shrinkage: each tree's leaf values are scaled by it.
    public var learningRate = 0.05
    /// Leaves per tree, grown best gain first.
    public var maxLeaves = 31
    /// Least training images in a leaf: no split leaves fewer on either side.
    public var minLeaf = 20
    /// L2 penalty on leaf values (added to the hessian sum).
    public var l2 = 1.0
    /// Most thresholds per statistic: quantiles of the training values.
    public var bins = 255
    /// Folds of the cross-fit that gives each training image a tree logit
    /// from trees that never saw it, for the network to add to (0 = none:
    /// the final trees' own, over-fitted logits).
    public var crossFit = 5
    public init() {}
}
