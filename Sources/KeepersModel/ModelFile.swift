import Foundation
import KeepersCore
import KeepersHDF5
import KeepersNetwork

/// What `train/model.h5` says about its weights (root attributes; docs/model.md).
public struct ModelMetadata: Equatable, Sendable {
    public static let schemaVersion = 1
    /// How pixels become network input; the one normalisation Keepers uses.
    public static let inputNormalisation = "pixel/255 - 0.5, RGB, NCHW"

    public var schemaVersion = ModelMetadata.schemaVersion
    public var model: ModelSettings
    /// The step whose weights these are (the best validation AUC).
    public var step: Int
    /// Steps the run trained for in all.
    public var trainedSteps: Int
    /// Validation AUC at `step`; nil if there was no validation with both classes.
    public var valAUC: Double?
    public var parameterCount: Int
    /// The class whose probability sigmoid(logit) is, and the other one.
    public var positiveClass: String
    public var negativeClass: String
    public var inputNormalisation = ModelMetadata.inputNormalisation
    /// How photos were prepared for training (ingest's image settings):
    /// keepers-predict prepares new photos the same way.
    public var preprocessing = ImageSettings()
    public var maxPixels = IngestSettings().maxPixels
    /// What computed the weights (nil in models written before it was recorded).
    public var computation: Computation?
    /// With `model.backbone`: the features' backbone as "<name>-<weights
    /// sha256, 12 hex>" (`BackboneIdentity.key`); predict refuses others.
    public var backbone: String?
    /// Median and spread of the good training photos' image statistics
    /// (group `good_statistics`), which culling reasons compare photos to;
    /// nil in model files written before it was recorded.
    public var goodStatistics: GoodStatistics?

    /// oneDNN version and kernel ISA, the resolved thread count, and why the
    /// run is not bitwise reproducible (empty when it is): docs/training.md.
    public struct Computation: Equatable, Sendable {
        public var backend: String
        public var threads: Int
        public var notReproducible: [String]
        public var bitwiseReproducible: Bool { notReproducible.isEmpty }

        public init(backend: String, threads: Int, notReproducible: [String]) {
            self.backend = backend
            self.threads = threads
            self.notReproducible = notReproducible
        }
    }

    public init(model: ModelSettings, step: Int, trainedSteps: Int, valAUC: Double?, parameterCount: Int,
                positiveClass: String, negativeClass: String) {
        self.model = model
        self.step = step
        self.trainedSteps = trainedSteps
        self.valAUC = valAUC
        self.parameterCount = parameterCount
        self.positiveClass = positiveClass
        self.negativeClass = negativeClass
    }
}

/// `train/model.h5`: one group per layer (`conv1` ... `convN`, `dense`), each
/// with `kernel` (PyTorch layout) and `bias`, float32; metadata as root
/// attributes. Plain enough to load into PyTorch or Keras from docs/model.md.
public enum ModelFile {
    /// Writes `tensors` (from `Network.parameterTensors()`) atomically, and
    /// the image statistics' standardisation (group `statistics`: `mean`,
    /// `std`, 25 float32 each) for a model that uses them, and its models of
    /// the statistics (groups `trees`, `TreesGroup`, and `additive`, `AdditiveGroup`).
    public static func write(_ tensors: [NamedTensor], metadata: ModelMetadata,
                             statistics: StatisticsNormalisation? = nil, trees: BoostedTrees? = nil,
                             additive: AdditiveLogistic? = nil, backbone: FeatureLogistic? = nil, to url: URL) throws {
        try AtomicFile.write(to: url) { temp in
            let file = try HDF5File.create(at: temp)
            try file.setAttribute("schema_version", .int(metadata.schemaVersion))
            try file.setAttribute("architecture", .string(CanonicalJSON.string(metadata.model)))
            try file.setAttribute("input_normalisation", .string(metadata.inputNormalisation))
            try file.setAttribute("step", .int(metadata.step))
            try file.setAttribute("trained_steps", .int(metadata.trainedSteps))
            if let auc = metadata.valAUC { try file.setAttribute("val_auc", .double(auc)) }
            try file.setAttribute("parameter_count", .int(metadata.parameterCount))
            try file.setAttribute("positive_class", .string(metadata.positiveClass))
            try file.setAttribute("negative_class", .string(metadata.negativeClass))
            try file.setAttribute("preprocessing", .string(CanonicalJSON.string(metadata.preprocessing)))
            try file.setAttribute("max_pixels", .int(metadata.maxPixels))
            if let computation = metadata.computation {
                try file.setAttribute("compute_backend", .string(computation.backend))
                try file.setAttribute("threads", .int(computation.threads))
                try file.setAttribute("bitwise_reproducible", .int(computation.bitwiseReproducible ? 1 : 0))
                if !computation.bitwiseReproducible {
                    try file.setAttribute("not_reproducible", .string(computation.notReproducible.joined(separator: "\n")))
                }
            }
            var groups: [String: HDF5Group] = [:]
            for tensor in tensors {
                let (layer, name) = split(tensor.name)
                if groups[layer] == nil { groups[layer] = try file.createGroup(layer) }
                try groups[layer]!.createDataset(name, values: tensor.values, shape: tensor.shape)
            }
            if let statistics {
                let group = try file.createGroup("statistics")
                try group.createDataset("mean", values: statistics.mean, shape: [statistics.mean.count])
                try group.createDataset("std", values: statistics.std, shape: [statistics.std.count])
            }
            if let trees { try TreesGroup.write(trees, into: try file.createGroup("trees")) }
            if let additive { try AdditiveGroup.write(additive, into: try file.createGroup("additive")) }
            if let backbone, let key = metadata.backbone {
                try BackboneGroup.write(backbone, key: key, into: try file.createGroup("backbone"))
            }
            if let good = metadata.goodStatistics {
                try GoodStatisticsGroup.write(good, into: try file.createGroup(GoodStatisticsGroup.name))
            }
            try file.close()
        }
    }

    /// Opens a model file as a ready network (for report and predict) with
    /// its metadata. `threads` as for `Network` (0 = one per core).
    public static func load(_ url: URL, threads: Int = 0) throws -> (Network, ModelMetadata) {
        func fail(_ reason: String) -> KeepersError { .format(path: url.path, reason: reason) }
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let version = try file.intAttribute("schema_version")
        guard version == ModelMetadata.schemaVersion else {
            throw fail("model file schema version \(version); this Keepers reads version \(ModelMetadata.schemaVersion)")
        }
        let model: ModelSettings
        do { model = try JSONDecoder().decode(ModelSettings.self, from: Data(try file.stringAttribute("architecture").utf8)) } catch {
            throw fail("attribute 'architecture' is not a model description: \(error)")
        }
        let normalisation = try file.stringAttribute("input_normalisation")
        guard normalisation == ModelMetadata.inputNormalisation else {
            throw fail("input normalisation '\(normalisation)'; this Keepers feeds '\(ModelMetadata.inputNormalisation)'")
        }
        var metadata = ModelMetadata(
            model: model, step: try file.intAttribute("step"), trainedSteps: try file.intAttribute("trained_steps"),
            valAUC: try file.hasAttribute("val_auc") ? file.doubleAttribute("val_auc") : nil,
            parameterCount: try file.intAttribute("parameter_count"),
            positiveClass: try file.stringAttribute("positive_class"), negativeClass: try file.stringAttribute("negative_class"))
        metadata.schemaVersion = version
        if try file.hasAttribute("preprocessing") {
            do {
                metadata.preprocessing = try JSONDecoder().decode(
                    ImageSettings.self, from: Data(try file.stringAttribute("preprocessing").utf8))
            } catch { throw fail("attribute 'preprocessing' is not an image-settings description: \(error)") }
            metadata.maxPixels = try file.intAttribute("max_pixels")
        }
        if try file.hasAttribute("compute_backend") {
            let notes = try file.hasAttribute("not_reproducible") ? file.stringAttribute("not_reproducible") : ""
            metadata.computation = ModelMetadata.Computation(backend: try file.stringAttribute("compute_backend"),
                                               threads: try file.intAttribute("threads"),
                                               notReproducible: notes.split(separator: "\n").map(String.init))
        }
        let network = try Network(model: model, seed: 0, threads: threads)
        let tensors = try network.parameterTensors().map { expected in
            let (layer, name) = split(expected.name)
            let dataset = try file.group(layer).dataset(name)
            guard dataset.shape == expected.shape else {
                throw fail("\(layer)/\(name) has shape \(dataset.shape); the architecture needs \(expected.shape)")
            }
            return NamedTensor(name: expected.name, shape: dataset.shape, values: try dataset.read(Float.self))
        }
        try network.loadParameters(tensors)
        if model.statistics {
            let group = try file.group("statistics")
            let (mean, std) = (try group.dataset("mean").read(Float.self), try group.dataset("std").read(Float.self))
            guard mean.count == ImageStatistics.count, std.count == ImageStatistics.count, std.allSatisfy({ $0 > 0 }) else {
                throw fail("statistics/mean and statistics/std must hold \(ImageStatistics.count) values, std above 0 "
                           + "(\(mean.count) values: a model from an older Keepers, retrain it)")
            }
            network.statisticsNormalisation = StatisticsNormalisation(mean: mean, std: std)
        }
        if model.trees != nil {
            guard model.statistics else { throw fail("the architecture has trees but no statistics for them to read") }
            do { network.trees = try TreesGroup.read(try file.group("trees")) } catch {
                throw fail("group 'trees': \(error)")
            }
        }
        // A model without statistics has no additive model, whatever its settings say.
        if model.additive != nil && model.statistics {
            do { network.additive = try AdditiveGroup.read(try file.group("additive")) } catch {
                throw fail("group 'additive': \(error)")
            }
        }
        if model.backbone != nil {
            do {
                let group = try file.group("backbone")
                network.backbone = try BackboneGroup.read(group)
                metadata.backbone = try group.stringAttribute("key")
            } catch { throw fail("group 'backbone': \(error)") }
        }
        // Optional: older model files lack it, and reasons then say less.
        if try file.contains(GoodStatisticsGroup.name) {
            do { metadata.goodStatistics = try GoodStatisticsGroup.read(try file.group(GoodStatisticsGroup.name)) } catch {
                throw fail("group '\(GoodStatisticsGroup.name)': \(error)")
            }
        }
        guard network.parameterCount == metadata.parameterCount else {
            throw fail("parameter_count says \(metadata.parameterCount); the layers hold \(network.parameterCount)")
        }
        return (network, metadata)
    }

    /// "conv1.kernel" -> ("conv1", "kernel").
    private static func split(_ name: String) -> (String, String) {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts[0], parts[1])
    }
}

/// The `trees` group of model.h5 (docs/model.md): every node of every tree
/// as parallel datasets, `roots` the first node of each tree, `base_logit`
/// an attribute.
enum TreesGroup {
    static func write(_ trees: BoostedTrees, into group: HDF5Group) throws {
        let nodes = trees.nodes
        try group.setAttribute("base_logit", .double(Double(trees.baseLogit)))
        try group.setAttribute("features", .int(trees.features))
        try group.createDataset("feature", values: nodes.map(\.feature), shape: [nodes.count])
        try group.createDataset("threshold", values: nodes.map(\.threshold), shape: [nodes.count])
        try group.createDataset("left", values: nodes.map(\.left), shape: [nodes.count])
        try group.createDataset("right", values: nodes.map(\.right), shape: [nodes.count])
        try group.createDataset("value", values: nodes.map(\.value), shape: [nodes.count])
        try group.createDataset("roots", values: trees.roots, shape: [trees.roots.count])
    }

    static func read(_ group: HDF5Group) throws -> BoostedTrees {
        let feature = try group.dataset("feature").read(Int32.self)
        let threshold = try group.dataset("threshold").read(Float.self)
        let left = try group.dataset("left").read(Int32.self)
        let right = try group.dataset("right").read(Int32.self)
        let value = try group.dataset("value").read(Float.self)
        guard [threshold.count, left.count, right.count, value.count].allSatisfy({ $0 == feature.count }) else {
            throw KeepersError.invalidArgument("feature, threshold, left, right and value differ in length")
        }
        let features = try group.intAttribute("features")
        guard features == ImageStatistics.count else {
            throw KeepersError.invalidArgument("trees on \(features) features; the statistics are \(ImageStatistics.count)")
        }
        let nodes = feature.indices.map {
            BoostedTrees.Node(feature: feature[$0], threshold: threshold[$0], left: left[$0], right: right[$0], value: value[$0])
        }
        return try BoostedTrees(features: features, baseLogit: Float(try group.doubleAttribute("base_logit")), nodes: nodes,
                                roots: try group.dataset("roots").read(Int32.self))
    }
}

/// The `additive` group of model.h5 (docs/model.md): `knots` [25, K + 6] and
/// `coefficients` [25, K + 2] float32, `intercept` an attribute.
enum AdditiveGroup {
    static func write(_ model: AdditiveLogistic, into group: HDF5Group) throws {
        try group.setAttribute("intercept", .double(Double(model.intercept)))
        try group.setAttribute("degree", .int(AdditiveLogistic.degree))
        try group.createDataset("knots", values: model.knots, shape: [model.features, model.knotsPerFeature])
        try group.createDataset("coefficients", values: model.coefficients, shape: [model.features, model.basesPerFeature])
    }

    static func read(_ group: HDF5Group) throws -> AdditiveLogistic {
        let degree = try group.intAttribute("degree")
        guard degree == AdditiveLogistic.degree else {
            throw KeepersError.invalidArgument("splines of degree \(degree); this Keepers evaluates degree \(AdditiveLogistic.degree)")
        }
        let knots = try group.dataset("knots")
        guard knots.shape.count == 2, knots.shape[0] == ImageStatistics.count else {
            throw KeepersError.invalidArgument("knots of shape \(knots.shape); expected [\(ImageStatistics.count), knots]")
        }
        return try AdditiveLogistic(features: ImageStatistics.count, knots: try knots.read(Float.self),
                                    coefficients: try group.dataset("coefficients").read(Float.self),
                                    intercept: Float(try group.doubleAttribute("intercept")))
    }
}

/// The `backbone` group of model.h5 (docs/model.md): the logistic regression
/// on the backbone's features, `mean`, `scale` and `weights` [F] float32,
/// `intercept` an attribute, `key` the backbone that made the features.
enum BackboneGroup {
    static func write(_ model: FeatureLogistic, key: String, into group: HDF5Group) throws {
        try group.setAttribute("key", .string(key))
        try group.setAttribute("intercept", .double(Double(model.intercept)))
        try group.createDataset("mean", values: model.mean, shape: [model.features])
        try group.createDataset("scale", values: model.scale, shape: [model.features])
        try group.createDataset("weights", values: model.weights, shape: [model.features])
    }

    static func read(_ group: HDF5Group) throws -> FeatureLogistic {
        try FeatureLogistic(mean: try group.dataset("mean").read(Float.self), scale: try group.dataset("scale").read(Float.self),
                            weights: try group.dataset("weights").read(Float.self),
                            intercept: Float(try group.doubleAttribute("intercept")))
    }
}

/// The `good_statistics` group of model.h5 (docs/model.md): `median` and
/// `spread` [25] float32, the good training photos' raw image statistics;
/// `count` (how many photos) an attribute.
enum GoodStatisticsGroup {
    static let name = "good_statistics"

    static func write(_ good: GoodStatistics, into group: HDF5Group) throws {
        try group.setAttribute("count", .int(good.count))
        try group.createDataset("median", values: good.median, shape: [good.median.count])
        try group.createDataset("spread", values: good.spread, shape: [good.spread.count])
    }

    static func read(_ group: HDF5Group) throws -> GoodStatistics {
        let (median, spread) = (try group.dataset("median").read(Float.self), try group.dataset("spread").read(Float.self))
        guard median.count == ImageStatistics.count, spread.count == ImageStatistics.count, spread.allSatisfy({ $0 > 0 }) else {
            throw KeepersError.invalidArgument("median and spread must hold \(ImageStatistics.count) values, spread above 0")
        }
        return GoodStatistics(median: median, spread: spread, count: try group.intAttribute("count"))
    }
}
