import ArgumentParser
import Foundation
import KeepersCLI
import KeepersConfig
import KeepersCore
import KeepersScoring
import KeepersTraining
import KeepersXMP

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-predict",
        abstract: "Score new photos with a trained model; CSV path,score,group,rank,error sorted best first.")

    @Option(help: "Trained model (work/<config>/train/model.h5).")
    var model: String

    @Argument(help: "Photos, or folders searched recursively.")
    var photos: [String]

    @Option(help: "Write the CSV here instead of standard output.")
    var output: String?

    @Option(help: "Keep only the N best photos in the CSV.")
    var top: Int?

    @Option(help: "Link photos scoring at least the threshold into this folder.")
    var keepInto: String?

    @Flag(help: "With --keep-into: copy instead of linking.")
    var copy = false

    @Option(help: "Score threshold for --keep-into (default: the report's Youden threshold, else 0.5).")
    var threshold: Double?

    @Option(help: "Refuse files larger than this many bytes unread (default: ingest's max_file_bytes default).")
    var maxFileBytes = IngestSettings().maxFileBytes

    @Option(help: "Compute threads (0 = one per core).")
    var threads = 0

    @Flag(help: "Write star ratings, a colour label and the score into each photo's XMP sidecar.")
    var xmp = false

    @Option(help: "With --xmp: sidecar names, full (IMG_0001.CR2.xmp: darktable, digiKam) or stem (IMG_0001.xmp: Lightroom).")
    var xmpName = "full"

    @Option(help: "With --xmp: lowest scores for 2,3,4,5 stars (default: around the threshold, docs/formats.md).")
    var stars: String?

    @Option(help: "With --xmp: xmp:Label for photos scoring at least the threshold; \"\" for none.")
    var label = "Green"

    @Flag(help: "With --xmp: show what would change in the sidecars, write nothing.")
    var dryRun = false

    @Flag(help: "Keep only the best photo of each burst (--keep-into); with --xmp, its siblings get a star less.")
    var bestOfGroup = false

    @Flag(help: "Do not group bursts: every photo is a group of its own.")
    var noGroups = false

    @Option(help: "Photos taken at most this many seconds apart may be one burst.")
    var groupGap = GroupSettings().gapSeconds

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in 0...1") }
        if copy && keepInto == nil { throw ValidationError("--copy needs --keep-into") }
        if !xmp && (dryRun || stars != nil) { throw ValidationError("--dry-run and --stars need --xmp") }
        if SidecarName(rawValue: xmpName) == nil { throw ValidationError("--xmp-name must be full or stem") }
        if let stars, starCutoffs(stars) == nil { throw ValidationError("--stars takes 4 numbers, e.g. 0.2,0.4,0.6,0.8") }
        if bestOfGroup && noGroups { throw ValidationError("--best-of-group needs groups: drop --no-groups") }
        if bestOfGroup && keepInto == nil && !xmp { throw ValidationError("--best-of-group needs --keep-into or --xmp") }
        if !(0...3600).contains(groupGap) { throw ValidationError("--group-gap must be in 0...3600 seconds") }
    }

    func starCutoffs(_ text: String) -> [Double]? {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return values.count == 4 && values.allSatisfy({ $0 != nil }) ? values.map { $0! } : nil
    }

    func writeSidecars(_ predictions: [Prediction], threshold cut: Double) throws {
        let scale = try stars.flatMap(starCutoffs).map { try StarScale(cutoffs: $0) } ?? StarScale(threshold: cut)
        var writer = SidecarWriter(scale: scale, threshold: cut, label: label.isEmpty ? nil : label)
        writer.naming = SidecarName(rawValue: xmpName)!
        let outcomes = SidecarExport.write(predictions, with: writer, dryRun: dryRun, bestOfGroup: bestOfGroup)
        for line in SidecarExport.messages(outcomes, dryRun: dryRun) {
            FileHandle.standardError.write(Data("keepers-predict: \(line)\n".utf8))
        }
    }

    func run() throws {
        do {
            let modelURL = URL(fileURLWithPath: model)
            // Writing next to a pipeline's model (work/<config>/train/model.h5):
            // hold that work directory like a stage does.
            let workRoot = modelURL.deletingLastPathComponent().deletingLastPathComponent()
            if output != nil || keepInto != nil, modelURL.deletingLastPathComponent().lastPathComponent == "train" {
                try WorkLock.holdForProcess(workRoot, tool: "keepers-predict")
            }
            let (network, metadata) = try ModelFile.load(modelURL, threads: threads)
            let predictor = try Predictor(network: network, imageSettings: metadata.preprocessing,
                                          maxPixels: metadata.maxPixels, threads: threads)
            predictor.maxFileBytes = maxFileBytes
            let files = try PhotoList.expand(photos)
            var groups = GroupSettings()
            groups.enabled = !noGroups
            groups.gapSeconds = groupGap
            var predictions = PredictionOutput.sorted(
                PredictionGroups.assign(try predictor.score(files), settings: groups, threads: threads))
            for failed in predictions where failed.error != nil {
                FileHandle.standardError.write(Data("keepers-predict: \(failed.path): \(failed.error!)\n".utf8))
            }
            let cut = threshold ?? ReportThreshold.read(besideModel: modelURL) ?? 0.5
            if xmp { try writeSidecars(predictions, threshold: cut) }
            if let top { predictions = Array(predictions.prefix(top)) }
            let csv = PredictionOutput.csv(predictions)
            if let output { try AtomicFile.write(csv, to: URL(fileURLWithPath: output)) } else { print(csv, terminator: "") }
            if let keepInto {
                let kept = try PredictionOutput.keep(predictions, threshold: cut, into: URL(fileURLWithPath: keepInto),
                                                     copy: copy, bestOfGroup: bestOfGroup)
                let which = bestOfGroup ? "photos (the best of each burst)" : "photos"
                FileHandle.standardError.write(Data("keepers-predict: \(kept) \(which) scoring >= \(cut) in \(keepInto)\n".utf8))
            }
        } catch {
            exitWithError("keepers-predict", error)
        }
    }
}

PredictCommand.main()
