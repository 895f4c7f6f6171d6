import KeepersCore

/// Typed settings, one struct per pipeline stage. Each stage fingerprints only
/// the section it reads, so that changing a training setting never reruns
/// ingest (see pipeline.mk). Keys and defaults are documented in docs/config.md.

public enum Oversample: Codable, Sendable, Equatable {
    /// Good photos in the train split get repeat = (#bad / #good): classes balanced exactly.
    case balance
    /// Every photo has repeat 1.
    case none
    /// Good photos get this fixed repeat factor.
    case factor(Double)
}

public struct SplitFractions: Codable, Sendable, Equatable {
    public var train = 0.70
    public var val = 0.15
    public var test = 0.15
    public init() {}
}

public struct IngestSettings: Codable, Sendable, Equatable {
    /// The two class folder names; `positive` is the class the score is the probability of.
    public var classes = ["good", "bad"]
    public var positive = "good"
    public var image = ImageSettings()
    /// Photos with more pixels than this (read from the header) are refused undecoded.
    public var maxPixels = 150_000_000
    /// Files larger than this are refused before any byte is read (a photo
    /// is read whole into memory to decode it). 1 GiB: above any camera's
    /// RAW file or a large layered TIFF, far below a disk image named .jpg.
    public var maxFileBytes = 1 << 30
    public var split = SplitFractions()
    public var splitSeed: UInt64 = 1
    /// k-fold cross-validation: with `folds` > 1 the test split is fold
    /// `fold` (0-based) of `folds` equal parts of the split draw, and
    /// `split.train` : `split.val` divides the rest (docs/ingest.md).
    public var folds = 1
    public var fold = 0
    public var oversample = Oversample.balance
    /// Worker threads; 0 = one per core.
    public var threads = 0
    /// Where labels come from (docs/ingest.md).
    public var labels = LabelSource.folders
    /// `labels: xmp-rating`: ratings at or above `ratingGood` are the
    /// positive class, ratings 1...`ratingBad` (and -1, rejected) the other;
    /// unrated photos and ratings between are left out.
    public var ratingGood = 4
    public var ratingBad = 2
    /// A RAW file and a JPEG of the same shot (same folder and stem) are one
    /// photo: which of the two is ingested.
    public var rawJpegPair = RawJpegPair.raw
    /// Bursts: which photos are one group, and so take one split.
    public var groups = GroupSettings()
    /// The pretrained backbone whose features ingest computes per stored
    /// image: `model.backbone`'s name, copied here when the config is read
    /// so that ingest's make stamp changes with it. nil = none.
    public var backbone: String?
    public init() {}

    public var negative: String { classes.first { $0 != positive } ?? "" }
}

public enum LabelSource: String, Codable, Sendable, CaseIterable {
    /// The class folder a photo is in (`photos/good/...`, `photos/bad/...`).
    case folders
    /// The star rating in the photo's XMP sidecar or embedded XMP.
    case xmpRating = "xmp-rating"
}

public enum RawJpegPair: String, Codable, Sendable, CaseIterable {
    case raw, jpeg
}

public enum ShardCompression: String, Codable, Sendable, CaseIterable {
    case none, gzip
}

public struct ShardSettings: Codable, Sendable, Equatable {
    /// A bucket (split, height, width) is split into files of at most this many images...
    public var maxImages = 2048
    /// ...and at most this many bytes of pixels.
    public var maxBytes = 1 << 30
    public var compression = ShardCompression.none
    public var gzipLevel = 1
    public init() {}
}

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

public struct ReportSettings: Codable, Sendable, Equatable {
    /// Bootstrap resamples for the AUC confidence interval.
    public var bootstrap = 1000
    public var seed: UInt64 = 1
    /// Highest- and lowest-scoring test photos shown in the sample grids.
    public var gridTop = 13
    public var gridBottom = 12
    public init() {}
}
