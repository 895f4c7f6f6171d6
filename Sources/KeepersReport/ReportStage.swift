import Foundation
import KeepersCore
import KeepersCulling
import KeepersModel
import KeepersShards

/// The report stage: scores the test split with `train/model.h5`, computes
/// activation maps for the photos the grids show, reads the training log, and
/// hands everything to `writeReport`.
public struct ReportStage {
    /// The sections the report reads: its own, and from training the
    /// threads and the smoothing window of the training curves.
    public let settings: ReportSettings
    public let train: TrainSettings
    /// The config's name (the page's title) and its text, shown on the page.
    public let name: String
    public let configText: String
    public let layout: WorkLayout
    public let threads: Int

    public init(settings: ReportSettings, train: TrainSettings, name: String, configText: String, layout: WorkLayout,
                threads: Int = 0) {
        self.settings = settings
        self.train = train
        self.name = name
        self.configText = configText
        self.layout = layout
        self.threads = threads > 0 ? threads : train.threads
    }

    public func run() throws -> ReportResult {
        let (network, metadata) = try ModelFile.load(layout.model, threads: threads)
        let reader = try ShardReader(layout: layout)
        let entries = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        let manifest = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let scorer = SplitScorer(network: network, reader: reader)
        let scores = try scorer.score(split: .test)
        guard !scores.isEmpty else {
            throw KeepersError.format(path: layout.shardIndex.path, reason: "the test split is empty: nothing to report on")
        }
        var photos = scores.map { score in
            let entry = manifest[score.id]
            let label = entry?.label ?? "?"
            return ScoredPhoto(id: score.id, source: entry?.source ?? score.id, label: label,
                               isPositive: label == metadata.positiveClass, score: score.probability)
        }
        let positives = photos.filter(\.isPositive).count
        guard positives > 0, positives < photos.count else {
            throw KeepersError.format(path: layout.manifest.path, reason: """
                the test split holds \(positives) \(metadata.positiveClass) and \(photos.count - positives) \
                \(metadata.negativeClass) photos; the report needs both classes (add photos, or raise ingest.split.test)
                """)
        }
        let shown = ReportInputs.photosShown(photos, settings: settings)
        let finder = ReasonFinder(good: metadata.goodStatistics, normalisation: network.statisticsNormalisation,
                                  additive: network.additive)
        for (index, score) in scores.enumerated() where shown.contains(score.id) {
            if photos[index].isMisclassified {
                photos[index].reasons = finder.reasons(
                    statistics: finder.namesFaults ? try scorer.statistics(bucket: score.bucket, image: score.image) : nil,
                    score: score.probability, threshold: 0.5)
            }
            photos[index].image = try reader.image(bucket: score.bucket, image: score.image)
            let maps = try scorer.activationMap(bucket: score.bucket, image: score.image)
            photos[index].cam = maps.values
            (photos[index].camWidth, photos[index].camHeight) = (maps.width, maps.height)
        }
        let log = FileManager.default.fileExists(atPath: layout.trainLog.path)
            ? try TrainingLogRow.read(from: layout.trainLog) : []
        let (height, width) = Self.typicalSize(reader: reader)
        let architecture = network.layerTable(height: height, width: width).map {
            ArchitectureRow(layer: $0.layer, outputShape: $0.output, parameters: $0.parameters)
        }
        var inputs = ReportInputs(
            photos: photos, log: log, steps: metadata.step, parameters: metadata.parameterCount,
            architecture: architecture, configText: configText, settings: settings,
            smoothingWindow: train.averageWindow, positiveName: metadata.positiveClass,
            negativeName: metadata.negativeClass, title: "Keepers report: \(name)",
            subtitle: "model from step \(metadata.step) of \(metadata.trainedSteps), \(photos.count) test photos")
        inputs.groups = GroupCounts(entries)
        inputs.testGroups = GroupCounts(entries.filter { $0.split == .test })
        return try writeReport(inputs, to: layout.report)
    }

    /// The most common test image size, for the architecture table's shapes.
    static func typicalSize(reader: ShardReader) -> (Int, Int) {
        let test = reader.buckets.filter { $0.split == .test }
        let largest = test.max { $0.count < $1.count } ?? reader.buckets[0]
        return (largest.height, largest.width)
    }
}
