import ArgumentParser
import Foundation
import KeepersCLI
import KeepersCore
import KeepersIngest

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-ingest",
        abstract: "Decode, auto-rotate, convert to sRGB and resize sorted photos; dedupe, split and plan oversampling.")

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "Photos folder whose subfolders name the classes (overrides `photos:` in the config).")
    var photos: String?

    @Option(help: "Worker threads (0 = one per core; overrides ingest.threads).")
    var threads: Int?

    func run() throws {
        MallocArenas.useOne()
        let (config, layout) = try pipeline.loadForWriting(tool: "keepers-ingest")
        let folder = URL(fileURLWithPath: photos ?? config.photos)
        do {
            let summary = try Ingestor(photos: folder, layout: layout, settings: config.ingest, threads: threads,
                                       context: .standardError()).run()
            print(summary.render(rejectedPath: layout.rejected.relativePath))
        } catch {
            exitWithError("keepers-ingest", error)
        }
    }
}

IngestCommand.main()
