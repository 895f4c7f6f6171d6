import ArgumentParser
import Foundation
import KeepersCLI
import KeepersConfig
import KeepersCore
import KeepersScoring
import KeepersTraining

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-predict",
        abstract: "Score new photos with a trained model; CSV path,score,error sorted best first.")

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

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in 0...1") }
        if copy && keepInto == nil { throw ValidationError("--copy needs --keep-into") }
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
            var predictions = PredictionOutput.sorted(try predictor.score(files))
            for failed in predictions where failed.error != nil {
                FileHandle.standardError.write(Data("keepers-predict: \(failed.path): \(failed.error!)\n".utf8))
            }
            if let top { predictions = Array(predictions.prefix(top)) }
            let csv = PredictionOutput.csv(predictions)
            if let output { try AtomicFile.write(csv, to: URL(fileURLWithPath: output)) } else { print(csv, terminator: "") }
            if let keepInto {
                let cut = threshold ?? ReportThreshold.read(besideModel: modelURL) ?? 0.5
                let kept = try PredictionOutput.keep(predictions, threshold: cut, into: URL(fileURLWithPath: keepInto), copy: copy)
                FileHandle.standardError.write(Data("keepers-predict: \(kept) photos scoring >= \(cut) in \(keepInto)\n".utf8))
            }
        } catch {
            exitWithError("keepers-predict", error)
        }
    }
}

PredictCommand.main()
