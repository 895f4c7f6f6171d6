import KeepersCore
import KeepersCulling
import KeepersImaging

/// One scored test photo: what the scoring pass over the test split yields.
public struct ScoredPhoto: Sendable {
    /// Manifest id (names the stored image).
    public var id: String
    /// Source path relative to the photos folder, as in the manifest.
    public var source: String
    /// Class name from the manifest, e.g. "good".
    public var label: String
    /// Whether `label` is the positive class (the one `score` is the probability of).
    public var isPositive: Bool
    /// The model's probability that the photo is positive, in 0...1.
    public var score: Double
    /// The stored photo. Only the photos the sample grids show need it (and
    /// their maps): a test split's images need not all be held in memory.
    /// `ReportInputs.photosShown` says which those are.
    public var image: RGBImage?
    /// Class activation map for the positive class at feature-map resolution,
    /// row-major camHeight x camWidth; any real values (it is min-max
    /// normalised per photo): one image's slice of KeepersNetwork's
    /// `ActivationMaps`. Nil when not computed; such photos are left out
    /// of cam.jpg.
    public var cam: [Float]?
    public var camWidth: Int
    public var camHeight: Int
    /// What pulls the score down (KeepersCulling's `ReasonFinder`); the
    /// report finds them for the misclassified photos its grids show.
    public var reasons: [Reason] = []

    public init(id: String, source: String, label: String, isPositive: Bool, score: Double, image: RGBImage? = nil,
                cam: [Float]? = nil, camWidth: Int = 0, camHeight: Int = 0) {
        self.id = id
        self.source = source
        self.label = label
        self.isPositive = isPositive
        self.score = score
        self.image = image
        self.cam = cam
        self.camWidth = camWidth
        self.camHeight = camHeight
    }

    /// Wrong at the 0.5 threshold (score >= 0.5 predicts positive, as in `confusion`).
    public var isMisclassified: Bool { (score >= 0.5) != isPositive }
}

/// One row of the model's layer table on the report page.
public struct ArchitectureRow: Sendable, Equatable {
    public var layer: String
    public var outputShape: String
    public var parameters: Int

    public init(layer: String, outputShape: String, parameters: Int) {
        self.layer = layer
        self.outputShape = outputShape
        self.parameters = parameters
    }
}

/// Everything the report is made from, as plain data: the scoring pass and
/// the training log are read by the caller, so this code needs neither the
/// network nor the shards.
public struct ReportInputs: Sendable {
    public var photos: [ScoredPhoto]
    /// train/log.jsonl in step order.
    public var log: [TrainingLogRow]
    /// Training steps of the model that scored the photos.
    public var steps: Int
    /// Trainable parameters of that model.
    public var parameters: Int
    public var architecture: [ArchitectureRow]
    /// The configuration file's text, shown verbatim.
    public var configText: String
    public var settings: ReportSettings
    /// Window of the log's moving averages (TrainSettings.averageWindow), named in the chart legend.
    public var smoothingWindow: Int
    public var positiveName: String
    public var negativeName: String
    /// Page title, e.g. "Keepers report: demo".
    public var title: String
    /// A line under the title, e.g. the run date.
    public var subtitle: String?
    /// Burst groups of the whole manifest and of the test split (metrics.json, key numbers).
    public var groups: GroupCounts?
    public var testGroups: GroupCounts?

    public init(photos: [ScoredPhoto], log: [TrainingLogRow], steps: Int, parameters: Int,
                architecture: [ArchitectureRow], configText: String, settings: ReportSettings = ReportSettings(),
                smoothingWindow: Int, positiveName: String = "good", negativeName: String = "bad",
                title: String = "Keepers report", subtitle: String? = nil) {
        self.photos = photos
        self.log = log
        self.steps = steps
        self.parameters = parameters
        self.architecture = architecture
        self.configText = configText
        self.settings = settings
        self.smoothingWindow = smoothingWindow
        self.positiveName = positiveName
        self.negativeName = negativeName
        self.title = title
        self.subtitle = subtitle
    }

    /// Ids of the photos the sample grids show: the `gridTop` highest and
    /// `gridBottom` lowest scores. Score the whole split first, then load
    /// images and compute activation maps for these alone.
    public static func photosShown(_ photos: [ScoredPhoto], settings: ReportSettings) -> Set<String> {
        let chosen = SampleGrid.select(photos, top: settings.gridTop, bottom: settings.gridBottom)
        return Set((chosen.highest + chosen.lowest).map(\.id))
    }
}
