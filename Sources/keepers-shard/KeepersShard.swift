import ArgumentParser
import Foundation
import KeepersCLI
import KeepersCore
import KeepersShards

/// Packs ingested photos into HDF5 shards, or verifies existing ones.
/// All logic lives in KeepersShards; see docs/shards.md.
@main
struct ShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-shard",
        abstract: "Pack work/<config>/ingest into HDF5 shards under work/<config>/shards.")

    @OptionGroup var pipeline: PipelineOptions

    @Flag(help: "Check the existing shards against the manifest and the index instead of building.")
    var verify = false

    func run() throws {
        // Verifying only reads; building writes and takes the work directory's lock.
        let (config, layout) = try verify ? pipeline.load() : pipeline.loadForWriting(tool: "keepers-shard")
        let context = StageContext.standardError()
        do {
            guard verify else {
                print(try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: context))
                return
            }
            let report = try ShardVerifier.verify(ingest: config.ingest, shard: config.shard, layout: layout, context: context)
            for problem in report.problems { FileHandle.standardError.write(Data("keepers-shard: \(problem)\n".utf8)) }
            guard report.problems.isEmpty else { Foundation.exit(1) }
            print("ok: \(report.filesChecked) files, \(report.imagesDecoded) images decoded")
        } catch {
            exitWithError("keepers-shard", error)
        }
    }
}
