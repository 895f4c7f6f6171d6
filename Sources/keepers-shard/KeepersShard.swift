import ArgumentParser
import Foundation
import KeepersConfig
import KeepersCore
import KeepersShards

/// Packs ingested photos into HDF5 shards, or verifies existing ones.
/// All logic lives in KeepersShards; see docs/shards.md.
@main
struct KeepersShard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-shard",
        abstract: "Pack work/<config>/ingest into HDF5 shards under work/<config>/shards.")

    @Option(help: "The pipeline configuration file, e.g. configs/demo.yaml.")
    var config: String

    @Option(help: "The folder holding every configuration's work directory.")
    var work = "work"

    @Flag(help: "Check the existing shards against the manifest and the index instead of building.")
    var verify = false

    func run() throws {
        let configURL = URL(fileURLWithPath: config)
        let settings = try PipelineConfig.load(from: configURL)
        let layout = WorkLayout(configFile: configURL, workRoot: URL(fileURLWithPath: work))
        guard verify else {
            print(try ShardBuilder.build(config: settings, layout: layout))
            return
        }
        let report = try ShardVerifier.verify(config: settings, layout: layout)
        for problem in report.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        guard report.problems.isEmpty else { throw ExitCode.failure }
        print("ok: \(report.filesChecked) files, \(report.imagesDecoded) images decoded")
    }
}
