import ArgumentParser
import Foundation
import KeepersCLI
import KeepersCore
import KeepersTraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-train",
        abstract: "Train the keep/discard network on the shards; resumes from the newest checkpoint.",
        discussion: "Ctrl-C (or SIGTERM) saves a checkpoint after the step in flight and exits 0; run the same command again to continue.")

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "Compute threads (0 = one per core; overrides train.threads).")
    var threads: Int?

    @Flag(help: "Discard checkpoints, log and model, and train from step 0.")
    var fresh = false

    @Flag(help: "If the settings or shards changed since the newest checkpoint, start fresh instead of refusing.")
    var restartIfChanged = false

    func validate() throws {
        if let threads, threads < 0 { throw ValidationError("--threads must be 0 or more") }
    }

    func run() throws {
        let (config, layout) = try pipeline.loadForWriting(tool: "keepers-train")
        StopSignals.install()
        let context = StageContext.standardError(stopRequested: { StopSignals.requested })
        do {
            let options = TrainOptions(threads: threads, fresh: fresh, restartIfChanged: restartIfChanged)
            // Stopped by SIGTERM or SIGINT, the run saves a checkpoint and exits 0
            // (an orderly stop, as a spot instance's shutdown expects); model.h5
            // is not written then, which is how pipeline.mk knows to go no further.
            _ = try Trainer(model: config.model, train: config.train, ingest: config.ingest, layout: layout, options: options, context: context).run()
        } catch {
            exitWithError("keepers-train", error)
        }
    }
}

TrainCommand.main()
