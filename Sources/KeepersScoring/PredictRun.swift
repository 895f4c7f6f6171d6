import Foundation
import KeepersBackbone
import KeepersCore
import KeepersCulling
import KeepersModel
import KeepersXMP

/// keepers-predict as a library call: scores photos with a trained model,
/// groups bursts, then writes the CSV, sidecars and the keep folder the
/// options ask for. Messages go to the context, prefixed with the tool's name.
public struct PredictRun {
    /// What `--xmp` and its options ask for.
    public struct Sidecars: Sendable {
        public var naming = SidecarName.full
        /// Lowest scores for 2, 3, 4 and 5 stars; nil for a scale around the threshold.
        public var starCutoffs: [Double]?
        /// xmp:Label of photos at or above the threshold; nil for none.
        public var label: String? = "Green"
        public var dryRun = false

        public init() {}
    }

    public var model: URL
    /// Photos, or folders searched recursively.
    public var photos: [String]
    /// Where the CSV goes; nil: standard output.
    public var output: URL?
    /// Keep only the N best photos in the CSV.
    public var top: Int?
    /// Link (or with `copy`, copy) photos scoring at least the threshold
    /// into this folder; a path as the user wrote it, which the message repeats.
    public var keepInto: String?
    public var copy = false
    /// Nil: the report's Youden threshold beside the model, else 0.5.
    public var threshold: Double?
    public var maxFileBytes = IngestSettings().maxFileBytes
    public var threads = 0
    public var sidecars: Sidecars?
    /// Only the best photo of each burst is kept; with sidecars, its siblings get a star less.
    public var bestOfGroup = false
    public var groups = GroupSettings()
    /// Write a culling page (index.html and thumbnails) into this folder.
    public var page: URL?

    public init(model: URL, photos: [String]) {
        self.model = model
        self.photos = photos
    }

    static let tool = "keepers-predict"

    /// The backbone `metadata` was trained with, loaded from the cache and
    /// checked to be the very weights whose features trained it.
    static func backbone(for metadata: ModelMetadata, model: URL, threads: Int) throws -> PretrainedBackbone? {
        guard let settings = metadata.model.backbone, let key = metadata.backbone else { return nil }
        let backbone = try BackboneWeightsFile.load(name: settings.name, threads: resolvedThreadCount(threads))
        guard backbone.identity.key == key else {
            throw KeepersError.format(path: model.path, reason: "was trained on the features of \(key), but the cached "
                                      + "weights are \(backbone.identity.key): restore those weights or retrain")
        }
        return backbone
    }

    /// Writes the CSV (path,score,group,rank,error, best first) before
    /// linking any photo, so it is there even if linking fails. A run with
    /// an output file journals its scores (`PredictJournal`) and removes the
    /// journal only once every output is written.
    public func run(context: StageContext) throws {
        // Writing next to a pipeline's model (work/<config>/train/model.h5):
        // hold that work directory like a stage does.
        if output != nil || keepInto != nil || page != nil, model.deletingLastPathComponent().lastPathComponent == "train" {
            try WorkLock.holdForProcess(model.deletingLastPathComponent().deletingLastPathComponent(), tool: Self.tool)
        }
        let (network, metadata) = try ModelFile.load(model, threads: threads)
        let predictor = try Predictor(network: network, imageSettings: metadata.preprocessing,
                                      maxPixels: metadata.maxPixels, threads: threads,
                                      backbone: try Self.backbone(for: metadata, model: model, threads: threads))
        predictor.maxFileBytes = maxFileBytes
        predictor.computeStatistics = metadata.goodStatistics != nil
        let folder = try page.map(PageFolder.init)
        predictor.page = folder
        let files = try PhotoList.expand(photos)
        // With a CSV file, scores are journalled beside it as they come, so a killed run resumes.
        let journal = try output.map { output in
            try PredictJournal(beside: output, key: PredictJournal.runKey(
                model: model, threads: resolvedThreadCount(threads), maxFileBytes: maxFileBytes,
                statistics: predictor.computeStatistics, page: page), page: folder)
        }
        var predictions = PredictionOutput.sorted(
            PredictionGroups.assign(try predictor.score(files, context: context, journal: journal),
                                    settings: groups, threads: threads))
        for failed in predictions where failed.error != nil {
            context.say("\(Self.tool): \(failed.path): \(failed.error!)")
        }
        let cut = threshold ?? ReportThreshold.read(besideModel: model) ?? 0.5
        let finder = ReasonFinder(good: metadata.goodStatistics, normalisation: network.statisticsNormalisation,
                                  additive: network.additive)
        for index in predictions.indices {
            guard let score = predictions[index].score else { continue }
            predictions[index].reasons = finder.reasons(statistics: predictions[index].statistics, score: score, threshold: cut)
        }
        if let sidecars { try write(sidecars, predictions, threshold: cut, context: context) }
        if let top { predictions = Array(predictions.prefix(top)) }
        let csv = PredictionOutput.csv(predictions)
        if let output { try AtomicFile.write(csv, to: output) } else { print(csv, terminator: "") }
        if let folder {
            var summary = PageSummary(model: model.path, validationAUC: metadata.valAUC, threshold: cut)
            summary.modelStep = metadata.step
            summary.bestOfGroup = bestOfGroup
            summary.reasonsNameFaults = finder.namesFaults
            let scale = try sidecars?.starCutoffs.map { try StarScale(cutoffs: $0) } ?? StarScale(threshold: cut)
            try folder.finish(tiles: PredictionOutput.tiles(predictions, threshold: cut, stars: scale, bestOfGroup: bestOfGroup),
                              summary: summary)
            context.say("\(Self.tool): culling page \(folder.url.appendingPathComponent("index.html").path)")
        }
        if let keepInto {
            let kept = try PredictionOutput.keep(predictions, threshold: cut, into: URL(fileURLWithPath: keepInto), copy: copy,
                                                 bestOfGroup: bestOfGroup)
            let which = bestOfGroup ? "photos (the best of each burst)" : "photos"
            context.say("\(Self.tool): \(kept) \(which) scoring >= \(cut) in \(keepInto)")
        }
        journal?.finish()
    }

    private func write(_ sidecars: Sidecars, _ predictions: [Prediction], threshold cut: Double,
                       context: StageContext) throws {
        let scale = try sidecars.starCutoffs.map { try StarScale(cutoffs: $0) } ?? StarScale(threshold: cut)
        var writer = SidecarWriter(scale: scale, threshold: cut, label: sidecars.label)
        writer.naming = sidecars.naming
        let outcomes = SidecarExport.write(predictions, with: writer, dryRun: sidecars.dryRun, bestOfGroup: bestOfGroup)
        for line in SidecarExport.messages(outcomes, dryRun: sidecars.dryRun) { context.say("\(Self.tool): \(line)") }
    }
}
