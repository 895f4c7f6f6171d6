import Foundation

/// Where each stage reads and writes: `work/<config name>/{ingest,shards,train,report}`.
/// The one place that knows these paths.
public struct WorkLayout: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// `work/<config name>` for a config file such as `configs/demo.yaml`.
    public init(configFile: URL, workRoot: URL = URL(fileURLWithPath: "work")) {
        root = workRoot.appendingPathComponent(configFile.deletingPathExtension().lastPathComponent)
    }

    public var ingest: URL { root.appendingPathComponent("ingest") }
    public var ingestImages: URL { ingest.appendingPathComponent("images") }
    public var manifest: URL { ingest.appendingPathComponent("manifest.jsonl") }
    public var rejected: URL { ingest.appendingPathComponent("rejected.jsonl") }
    public var ingestState: URL { ingest.appendingPathComponent("state.json") }

    public var shards: URL { root.appendingPathComponent("shards") }
    public var shardIndex: URL { shards.appendingPathComponent("index.json") }

    public var train: URL { root.appendingPathComponent("train") }
    public var checkpoints: URL { train.appendingPathComponent("checkpoints") }
    public var model: URL { train.appendingPathComponent("model.h5") }
    public var trainLog: URL { train.appendingPathComponent("log.jsonl") }

    public var report: URL { root.appendingPathComponent("report") }

    /// Backbone features of the stored images (docs/backbone.md).
    public var ingestFeatures: URL { ingest.appendingPathComponent("features") }

    /// Path of a stored image's backbone features, by manifest id.
    public func storedFeatures(id: String) -> URL {
        ingestFeatures.appendingPathComponent("\(id).npy")
    }

    /// Path of a stored (ingested) image, by manifest id.
    public func storedImage(id: String) -> URL {
        ingestImages.appendingPathComponent("\(id).png")
    }
}
