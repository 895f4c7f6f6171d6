// Ingest settings (`ingest:`). Every setting is a plain value in this
// folder, one file per concern, below every module that reads it;
// KeepersConfig only turns YAML into them (`PipelineConfig`). Each stage
// fingerprints only the section it reads, so that changing a training
// setting never reruns ingest (see pipeline.mk). Keys and defaults:
// docs/config.md.

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
