import Foundation
import KeepersConfig
import KeepersCore
import KeepersHDF5
import KeepersImaging
import KeepersShards
@testable import KeepersTraining

/// A tiny sharded data set (two train buckets, one val bucket of 32x48 and
/// 48x32 images) and a config with a two-layer network, in a temporary
/// folder laid out as `work/t`, for running `keepers-train` on.
final class TrainFixture {
    let dir: TemporaryDirectory
    let configURL: URL
    let layout: WorkLayout
    var workRoot: URL { dir.url.appendingPathComponent("work") }

    static let model = """
        model:
          layers:
            - {filters: 4, pool: true}
            - {filters: 6, pool: false}
        """

    /// The config's `model` section.
    let modelSection: String

    init(steps: Int = 60, train extra: String = "", model: String = TrainFixture.model) throws {
        modelSection = model
        dir = try TemporaryDirectory(prefix: "keepers-train")
        configURL = dir.url.appendingPathComponent("t.yaml")
        layout = WorkLayout(configFile: configURL, workRoot: dir.url.appendingPathComponent("work"))
        try writeConfig(steps: steps, extra: extra)
        var config = PipelineConfig(name: "t", photos: "photos")
        config.ingest.image.width = 48
        var manifest: [ManifestEntry] = []
        let specs: [(Split, Int, Int, Int)] = [(.train, 32, 48, 8), (.train, 48, 32, 6), (.val, 32, 48, 6)]
        for (bucket, (split, height, width, count)) in specs.enumerated() {
            for n in 0..<count {
                let good = n % 3 == 0
                let id = String(format: "%016x", bucket * 100 + n)
                try StoredImage.write(Self.image(width: width, height: height, good: good, seed: bucket * 100 + n),
                                      to: layout.storedImage(id: id))
                manifest.append(ManifestEntry(id: id, source: "\(good ? "good" : "bad")/\(id).jpg", label: good ? "good" : "bad",
                                              split: split, width: width, height: height, sha256: id,
                                              repeat: good && split == .train ? 2 : 1))
            }
        }
        try JSONLines.write(manifest, to: layout.manifest)
        _ = try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)
    }

    func writeConfig(steps: Int, extra: String = "") throws {
        let text = """
            photos: photos
            \(modelSection)
            train:
              steps: \(steps)
              batch_size: 4
              eval_every: 10
              checkpoint_every: 5
              keep_checkpoints: 2
              average_window: 7
              threads: 2
            \(extra)
            """
        try text.write(to: configURL, atomically: true, encoding: .utf8)
    }

    /// Noise around a brighter mean for "good" images, so validation AUC is defined and moves.
    static func image(width: Int, height: Int, good: Bool, seed: Int) -> RGBImage {
        var random = SequentialRandom(seed: UInt64(seed))
        let base = good ? 150 : 100
        let pixels = (0..<width * height * 3).map { _ in UInt8(base - 60 + Int(random.next() % 120)) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    // MARK: Running keepers-train

    struct Run {
        let status: Int32
        let killed: Bool
        let output: String
    }

    /// Runs the built executable; with `signalWhen`, sends `signal` as soon as
    /// that returns true (polled every 0.2 ms) if it still runs.
    func train(_ arguments: [String] = [], signal: Int32 = SIGKILL, signalWhen: (() -> Bool)? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["--config", configURL.path, "--work", workRoot.path] + arguments
        process.currentDirectoryURL = dir.url
        let outputURL = dir.url.appendingPathComponent("output.txt")
        try Data().write(to: outputURL)
        let output = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let signalWhen {
            while process.isRunning, !signalWhen() { usleep(200) }
            if process.isRunning { kill(process.processIdentifier, signal) }
        }
        process.waitUntilExit()
        try output.close()
        return Run(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
                   output: try String(contentsOf: outputURL, encoding: .utf8))
    }

    /// `keepers-train` in the build folder that holds the test binary.
    static func executable() throws -> String {
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let inBuild = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
        for folder in [nextToTests, inBuild] {
            let path = folder.appendingPathComponent("keepers-train").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw KeepersError.io(path: inBuild.path, reason: "keepers-train is not built; run `swift build` first")
    }

    // MARK: Results

    var store: CheckpointStore { CheckpointStore(folder: layout.checkpoints, keep: 2) }

    /// Bit patterns of every dataset of model.h5, by "group/name".
    func modelBits() throws -> [String: [UInt32]] {
        let file = try HDF5File.open(at: layout.model)
        defer { try? file.close() }
        var bits: [String: [UInt32]] = [:]
        for group in try file.memberNames() {
            for name in try file.group(group).memberNames() {
                let dataset = try file.group(group).dataset(name)
                // The trees' node indices and features are int32; every other dataset float32.
                bits["\(group)/\(name)"] = group == "trees" && ["feature", "left", "right", "roots"].contains(name)
                    ? try dataset.read(Int32.self).map { UInt32(bitPattern: $0) } : try dataset.read(Float.self).map(\.bitPattern)
            }
        }
        return bits
    }

    func checkpoint(step: Int) throws -> Checkpoint { try Checkpoint.read(from: store.url(step: step)) }

    /// log.jsonl without the one machine-speed field.
    func logWithoutSpeed() throws -> [TrainingLogRow] {
        try JSONLines.read(TrainingLogRow.self, from: layout.trainLog).map {
            var row = $0
            row.imagesPerSecond = nil
            return row
        }
    }
}
