// Training settings (`train:`; docs/config.md).

public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
    /// `learning_rate` throughout (after the warm-up).
    case constant
    /// Half a cosine from `learning_rate` down to 0 at `steps` (after the warm-up).
    case cosine
}

/// Which validation point's weights model.h5 keeps.
public enum ModelSelection: String, Codable, Sendable, CaseIterable {
    /// The single best validation AUC.
    case best
    /// The best mean validation AUC over the last `selection_window` evaluations.
    case smoothed
    /// The final weights.
    case last
}

public struct TrainSettings: Codable, Sendable, Equatable {
    public var steps = 2_000
    public var batchSize = 4
    public var optimizer = OptimizerKind.adam
    public var learningRate = 0.001
    public var schedule = LearningRateSchedule.cosine
    /// Steps of linear warm-up from 0 to `learningRate`.
    public var warmupSteps = 300
    /// Decoupled weight decay (AdamW; SGD: the same decoupled form) on
    /// convolution and dense kernels, not on biases.
    public var weightDecay = 0.01
    /// SGD momentum (ignored by Adam).
    public var momentum = 0.9
    /// Random horizontal flips of training images.
    public var flip = true
    /// Random translations of training images by up to this many pixels in
    /// each direction (mirrored at the border); 0 = off.
    public var translate = 16
    /// Decay of the exponential moving average of the weights that
    /// validation and model.h5 use; 0 = off (the raw weights).
    public var ema = 0.999
    /// Dropout probability of the pooled convolution features in the head
    /// during training (the image statistics are never dropped); 0 = off.
    public var dropout = 0.5
    /// Full-batch steps fitting the head to the image statistics alone
    /// before training, with the pooled convolution features' weights at 0
    /// (needs `model.statistics`); 0 = off, the head starts random.
    public var prefitSteps = 500
    /// Steps of fault pretraining before the labelled ones: the network
    /// learns, from the training photos alone (no labels), to score each
    /// photo above a synthetically degraded copy (docs/training.md); 0 = off.
    public var pretrainSteps = 0
    public var selection = ModelSelection.smoothed
    /// Evaluations averaged by `selection: smoothed`.
    public var selectionWindow = 3
    public var seed: UInt64 = 1
    /// Validation and log line every this many steps.
    public var evalEvery = 500
    public var checkpointEvery = 500
    /// Checkpoints kept besides the best one.
    public var keepCheckpoints = 3
    /// Window (in steps) of the training loss and accuracy moving averages.
    public var averageWindow = 100
    /// Compute threads; 0 = one per core. Results are bitwise reproducible for a fixed count.
    public var threads = 0
    public init() {}
}
