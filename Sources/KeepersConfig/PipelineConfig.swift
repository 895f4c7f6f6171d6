import Foundation
import KeepersCore
import Yams

/// A whole configuration file (e.g. `configs/demo.yaml`), validated before any
/// work starts.
public struct PipelineConfig: Sendable, Equatable {
    /// The file's base name ("demo"); names the work directory `work/<name>/`.
    public var name: String
    /// Folder whose subfolders (`ingest.classes`) hold the sorted photos.
    public var photos: String
    public var ingest = IngestSettings()
    public var shard = ShardSettings()
    public var model = ModelSettings()
    public var train = TrainSettings()
    public var report = ReportSettings()

    public init(name: String, photos: String) {
        self.name = name
        self.photos = photos
    }

    public static func load(from url: URL) throws -> PipelineConfig {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ConfigError(file: url.path, key: "", message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, name: url.deletingPathExtension().lastPathComponent)
    }

    public static func parse(_ text: String, file: String, name: String) throws -> PipelineConfig {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ConfigError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        let root = try YAMLReader(file: file, path: "", node: node)
        var config = PipelineConfig(name: name, photos: try root.string("photos", default: "photos/sample"))
        config.ingest = try readIngest(root.section("ingest"))
        config.shard = try readShard(root.section("shard"))
        config.model = try readModel(root.section("model"))
        config.ingest.backbone = config.model.backbone?.name
        config.train = try readTrain(root.section("train"))
        config.report = try readReport(root.section("report"))
        try root.finish()
        return config
    }

    /// The sections that have make stamps, in pipeline order.
    public static let sections = ["ingest", "shard", "model", "train", "report"]

    /// Canonical JSON of one section, for make stamps: it changes only when the section does.
    public func sectionJSON(_ section: String) throws -> String {
        switch section {
        case "ingest":
            var stamped = ingest
            stamped.threads = 0  // the output does not depend on the thread count
            return CanonicalJSON.string(stamped)
        case "shard": return CanonicalJSON.string(ShardStamp(ingest: ingest, shard: shard))
        case "model": return CanonicalJSON.string(model)
        case "train": return CanonicalJSON.string(TrainStamp(model: model, train: train))
        case "report": return CanonicalJSON.string(report)
        default: throw KeepersError.invalidArgument("unknown config section '\(section)' (ingest, shard, model, train, report)")
        }
    }

    private struct ShardStamp: Encodable { var ingest: IngestSettings; var shard: ShardSettings }
    private struct TrainStamp: Encodable { var model: ModelSettings; var train: TrainSettings }
}

// MARK: - Sections

extension PipelineConfig {
    static func readIngest(_ r: YAMLReader) throws -> IngestSettings {
        var s = IngestSettings()
        s.classes = try r.list("classes", default: s.classes) { node, path in
            // A folder directly under photos/: "." or ".." would be photos/
            // itself or its parent, and control characters cannot be shown.
            guard case let .scalar(scalar) = node, !scalar.string.isEmpty, !scalar.string.contains("/"),
                  scalar.string != ".", scalar.string != "..",
                  !scalar.string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ConfigError(file: r.file, key: path, message: "expected a folder name (not '.' or '..', no '/' or control characters)")
            }
            return scalar.string
        }
        guard s.classes.count == 2, s.classes[0] != s.classes[1] else {
            throw r.fail("classes", "expected exactly two different class folder names, got \(s.classes)")
        }
        s.positive = try r.string("positive", default: s.classes.contains("good") ? "good" : s.classes[0])
        guard s.classes.contains(s.positive) else {
            throw r.fail("positive", "expected one of \(s.classes), got '\(s.positive)'")
        }
        s.image.width = try r.int("width", default: s.image.width, in: 16...8192)
        s.image.heightQuantum = try r.int("height_quantum", default: s.image.heightQuantum, in: 1...512)
        s.image.minAspect = try r.double("min_aspect", default: s.image.minAspect, in: 0.05...20)
        s.image.maxAspect = try r.double("max_aspect", default: s.image.maxAspect, in: 0.05...20)
        guard s.image.minAspect <= s.image.maxAspect else {
            throw r.fail("min_aspect", "must not exceed max_aspect (\(s.image.maxAspect))")
        }
        s.image.background = try r.list("background", default: s.image.background) { node, path in
            Int(try YAMLReader.double(node, in: 0...255) { ConfigError(file: r.file, key: path, message: $0) })
        }
        guard s.image.background.count == 3 else {
            throw r.fail("background", "expected three values [R, G, B] in 0...255")
        }
        s.maxPixels = try r.int("max_pixels", default: s.maxPixels, in: 1...2_000_000_000)
        s.maxFileBytes = try r.int("max_file_bytes", default: s.maxFileBytes, in: 1...(1 << 40))
        let split = try r.section("split")
        s.split.train = try split.double("train", default: s.split.train, in: 0...1)
        s.split.val = try split.double("val", default: s.split.val, in: 0...1)
        s.split.test = try split.double("test", default: s.split.test, in: 0...1)
        try split.finish()
        guard abs(s.split.train + s.split.val + s.split.test - 1) < 1e-9, s.split.train > 0 else {
            throw r.fail("split", "train, val and test must add up to 1 with train > 0")
        }
        s.splitSeed = UInt64(try r.int("split_seed", default: Int(s.splitSeed), in: 0...Int.max))
        s.folds = try r.int("folds", default: s.folds, in: 1...100)
        s.fold = try r.int("fold", default: s.fold, in: 0...99)
        guard s.fold < s.folds else { throw r.fail("fold", "must be below folds (\(s.folds)), got \(s.fold)") }
        s.oversample = try readOversample(r)
        s.threads = try r.int("threads", default: s.threads, in: 0...1024)
        s.labels = try r.choice("labels", default: s.labels)
        s.ratingGood = try r.int("rating_good", default: s.ratingGood, in: 1...5)
        s.ratingBad = try r.int("rating_bad", default: s.ratingBad, in: 1...5)
        guard s.ratingBad < s.ratingGood else {
            throw r.fail("rating_bad", "must be below rating_good (\(s.ratingGood)), got \(s.ratingBad)")
        }
        s.rawJpegPair = try r.choice("raw_jpeg_pair", default: s.rawJpegPair)
        s.groups = try readGroups(r.section("groups"))
        try r.finish()
        return s
    }

    static func readGroups(_ r: YAMLReader) throws -> GroupSettings {
        var s = GroupSettings()
        s.enabled = try r.bool("enabled", default: s.enabled)
        s.gapSeconds = try r.double("gap_seconds", default: s.gapSeconds, in: 0...3600)
        s.similarity = try r.double("similarity", default: s.similarity, in: -1...1)
        s.similarityUntimed = try r.double("similarity_untimed", default: s.similarityUntimed, in: -1...1)
        s.wholeFolders = try r.bool("whole_folders", default: s.wholeFolders)
        try r.finish()
        return s
    }

    static func readOversample(_ r: YAMLReader) throws -> Oversample {
        guard let node = r.node("oversample") else { return .balance }
        if case let .scalar(scalar) = node {
            switch scalar.string {
            case "balance": return .balance
            case "none": return .none
            default:
                if let factor = node.float ?? node.int.map(Double.init), factor >= 1, factor <= 1000 {
                    return .factor(factor)
                }
            }
        }
        throw r.fail("oversample", "expected balance, none, or a repeat factor for the positive class in 1...1000")
    }

    static func readShard(_ r: YAMLReader) throws -> ShardSettings {
        var s = ShardSettings()
        s.maxImages = try r.int("max_images", default: s.maxImages, in: 1...10_000_000)
        s.maxBytes = try r.int("max_bytes", default: s.maxBytes, in: 1 << 20...(1 << 40))
        s.compression = try r.choice("compression", default: s.compression)
        s.gzipLevel = try r.int("gzip_level", default: s.gzipLevel, in: 1...9)
        try r.finish()
        return s
    }

    static func readModel(_ r: YAMLReader) throws -> ModelSettings {
        var s = ModelSettings()
        s.layers = try r.list("layers", default: s.layers) { node, path in
            let layer = try YAMLReader(file: r.file, path: path, node: node)
            let spec = ConvLayerSpec(filters: try layer.int("filters", default: 0, in: 1...1024),
                                     pool: try layer.bool("pool", default: false))
            guard spec.filters > 0 else { throw layer.fail("filters", "required: output channels in 1...1024") }
            try layer.finish()
            return spec
        }
        guard !s.layers.isEmpty, s.layers.count <= 16 else {
            throw r.fail("layers", "expected 1 to 16 convolution layers")
        }
        s.pooling = try r.choice("pooling", default: s.pooling)
        s.statistics = try r.bool("statistics", default: s.statistics)
        s.hidden = try r.int("hidden", default: s.hidden, in: 0...4096)
        s.flipAverage = try r.bool("flip_average", default: s.flipAverage)
        s.trees = try readTrees(r)
        guard s.trees == nil || s.statistics else {
            throw r.fail("trees", "the trees read the image statistics: needs statistics: true")
        }
        s.additive = try readAdditive(r, default: s.statistics ? s.additive : nil)
        guard s.additive == nil || s.statistics else {
            throw r.fail("additive", "the additive model reads the image statistics: needs statistics: true")
        }
        s.backbone = try readBackbone(r)
        try r.finish()
        return s
    }

    /// `backbone: none` (or absent), `backbone: efficientnet-lite0`, or a
    /// mapping {name, c, cross_fit}.
    static func readBackbone(_ r: YAMLReader) throws -> BackboneSettings? {
        let names = [BackboneSettings.efficientNetLite0]
        if let node = r.node("backbone"), case let .scalar(scalar) = node, scalar.string != "none" {
            guard names.contains(scalar.string) else {
                throw r.fail("backbone", "expected none or one of \(names), got '\(scalar.string)'")
            }
            var s = BackboneSettings()
            s.name = scalar.string
            return s
        }
        return try readOptionalSection(r, "backbone", default: nil, keys: "name, c, cross_fit") { b in
            var s = BackboneSettings()
            s.name = try b.string("name", default: s.name)
            guard names.contains(s.name) else { throw b.fail("name", "expected one of \(names), got '\(s.name)'") }
            s.c = try b.double("c", default: s.c, in: 1e-6...1e6)
            s.crossFit = try b.int("cross_fit", default: s.crossFit, in: 0...100)
            return s
        }
    }

    /// `additive: none`, or a mapping of `AdditiveSettings` keys; absent, the default.
    static func readAdditive(_ r: YAMLReader, default value: AdditiveSettings?) throws -> AdditiveSettings? {
        try readOptionalSection(r, "additive", default: value, keys: "knots, c, cross_fit") { a in
            var s = AdditiveSettings()
            s.knots = try a.int("knots", default: s.knots, in: 2...64)
            s.c = try a.double("c", default: s.c, in: 1e-6...1e6)
            s.crossFit = try a.int("cross_fit", default: s.crossFit, in: 0...100)
            return s
        }
    }

    /// `trees: none` (or absent) or a mapping of `TreeSettings` keys.
    static func readTrees(_ r: YAMLReader) throws -> TreeSettings? {
        try readOptionalSection(r, "trees", default: nil, keys: "iterations, learning_rate, ...") { t in
            var s = TreeSettings()
            s.iterations = try t.int("iterations", default: s.iterations, in: 1...100_000)
            s.learningRate = try t.double("learning_rate", default: s.learningRate, in: 1e-6...1)
            s.maxLeaves = try t.int("max_leaves", default: s.maxLeaves, in: 2...1024)
            s.minLeaf = try t.int("min_leaf", default: s.minLeaf, in: 1...1_000_000)
            s.l2 = try t.double("l2", default: s.l2, in: 0...1_000_000)
            s.bins = try t.int("bins", default: s.bins, in: 2...256)
            s.crossFit = try t.int("cross_fit", default: s.crossFit, in: 0...100)
            return s
        }
    }

    /// A section that may be switched off: absent gives `value`, `none` gives
    /// nil, a mapping is read by `read` (unknown keys refused).
    static func readOptionalSection<T>(_ r: YAMLReader, _ key: String, default value: T?, keys: String,
                                       _ read: (YAMLReader) throws -> T) throws -> T? {
        guard let node = r.node(key) else { return value }
        if case let .scalar(scalar) = node, scalar.string == "none" { return nil }
        guard node.isMapping else { throw r.fail(key, "expected none or a mapping (\(keys))") }
        let section = try r.section(key)
        let result = try read(section)
        try section.finish()
        return result
    }

    static func readTrain(_ r: YAMLReader) throws -> TrainSettings {
        var s = TrainSettings()
        s.steps = try r.int("steps", default: s.steps, in: 1...100_000_000)
        s.batchSize = try r.int("batch_size", default: s.batchSize, in: 1...256)
        s.optimizer = try r.choice("optimizer", default: s.optimizer)
        s.learningRate = try r.double("learning_rate", default: s.learningRate, in: 1e-9...10)
        s.schedule = try r.choice("schedule", default: s.schedule)
        s.warmupSteps = try r.int("warmup_steps", default: s.warmupSteps, in: 0...100_000_000)
        s.weightDecay = try r.double("weight_decay", default: s.weightDecay, in: 0...1)
        s.momentum = try r.double("momentum", default: s.momentum, in: 0...0.999999)
        s.flip = try r.bool("flip", default: s.flip)
        s.translate = try r.int("translate", default: s.translate, in: 0...1024)
        s.ema = try r.double("ema", default: s.ema, in: 0...0.999999)
        s.dropout = try r.double("dropout", default: s.dropout, in: 0...0.95)
        s.prefitSteps = try r.int("prefit_steps", default: s.prefitSteps, in: 0...1_000_000)
        s.pretrainSteps = try r.int("pretrain_steps", default: s.pretrainSteps, in: 0...100_000_000)
        guard s.pretrainSteps == 0 || s.batchSize >= 2 else {
            throw r.fail("pretrain_steps", "fault pretraining compares photos in pairs: needs batch_size 2 or more")
        }
        s.selection = try r.choice("selection", default: s.selection)
        s.selectionWindow = try r.int("selection_window", default: s.selectionWindow, in: 1...1000)
        s.seed = UInt64(try r.int("seed", default: Int(s.seed), in: 0...Int.max))
        s.evalEvery = try r.int("eval_every", default: s.evalEvery, in: 1...100_000_000)
        s.checkpointEvery = try r.int("checkpoint_every", default: s.checkpointEvery, in: 1...100_000_000)
        s.keepCheckpoints = try r.int("keep_checkpoints", default: s.keepCheckpoints, in: 1...1000)
        s.averageWindow = try r.int("average_window", default: s.averageWindow, in: 1...1_000_000)
        s.threads = try r.int("threads", default: s.threads, in: 0...1024)
        try r.finish()
        return s
    }

    static func readReport(_ r: YAMLReader) throws -> ReportSettings {
        var s = ReportSettings()
        s.bootstrap = try r.int("bootstrap", default: s.bootstrap, in: 0...1_000_000)
        s.seed = UInt64(try r.int("seed", default: Int(s.seed), in: 0...Int.max))
        s.gridTop = try r.int("grid_top", default: s.gridTop, in: 0...1000)
        s.gridBottom = try r.int("grid_bottom", default: s.gridBottom, in: 0...1000)
        try r.finish()
        return s
    }
}
