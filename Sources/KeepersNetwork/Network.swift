import CDNNL
import Foundation
import KeepersConfig

/// What one training step reports.
public struct StepResult: Sendable, Equatable {
    /// Mean binary cross-entropy over the batch, before the update.
    public let loss: Float
    /// Images whose predicted probability (>= 0.5 means positive) matches the label.
    public let correct: Int
}

/// One parameter tensor in PyTorch layout, e.g. `conv1.kernel` (out, in, 3, 3).
public struct NamedTensor: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// Class activation maps (Zhou et al. 2016): the last convolution's feature
/// maps weighted by the dense kernel, one (height, width) map per image, at
/// feature-map resolution.
public struct ActivationMaps: Sendable, Equatable {
    public let batch: Int
    public let height: Int
    public let width: Int
    /// (batch, height, width), row-major.
    public let values: [Float]
}

/// The keep/discard classifier: a small CNN whose convolutions, ReLUs and
/// max-pools run in oneDNN, with GAP, dense, loss and optimiser in Swift.
/// Input is float32 NCHW, RGB, normalised to pixel / 255 - 0.5 (see
/// `KeepersCore.InputNormalisation`). Not thread-safe: one network per thread.
public final class Network {
    public let parameterCount: Int
    /// OpenMP threads used by oneDNN. Results are bitwise reproducible for a fixed count.
    public let threads: Int
    let architecture: Architecture

    private let engine: Engine
    private let stream: Stream
    private let arena = Arena()
    /// All parameters in one allocation (PyTorch layout, `architecture.tensors` order),
    /// so the optimiser is one loop; gradients are parallel to it.
    private let parameters: UnsafeMutableBufferPointer<Float>
    private let gradients: UnsafeMutableBufferPointer<Float>
    /// Mean and standard deviation that standardise the image statistics;
    /// the trainer sets them from the training data, model.h5 stores them.
    public var statisticsNormalisation = StatisticsNormalisation.identity
    private var mirrorBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)

    private struct PlanKey: Hashable {
        let batch: Int, height: Int, width: Int, training: Bool
    }
    /// Stages 1 and 2 (full and half resolution) run image by image, so each
    /// image's activations stay in L3. Measured at 320x480 batch 4 in quiet
    /// windows: splitting 2 stages trained at 52 images/s and inferred at 195,
    /// splitting only the first 47 and 165.
    static let stagesRunImageByImage = 2
    /// Creating primitives JIT-compiles them: one plan per bucket shape, kept.
    private var plans: [PlanKey: ShapePlan] = [:]

    public init(model: ModelSettings = ModelSettings(), seed: UInt64, threads: Int = 0) throws {
        architecture = try Architecture(model: model)
        parameterCount = architecture.parameterCount
        self.threads = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        omp_set_num_threads(Int32(self.threads))
        engine = try Engine()
        stream = try Stream(engine: engine)
        parameters = .allocate(capacity: parameterCount)
        gradients = .allocate(capacity: parameterCount)
        _ = parameters.initialize(from: architecture.initialParameters(seed: seed))
        gradients.initialize(repeating: 0)
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
        mirrorBuffer.deallocate()
    }

    // MARK: Training and prediction

    /// Forward, backward and one optimiser update on a batch (N, 3, height, width).
    /// `keep` (N, pooledFeatures), if given, multiplies the pooled features
    /// in the head (dropout: 0, or 1 / (1 - p) for the features kept).
    /// `statistics`, if given, are each image's raw `ImageStatistics` (a
    /// trainer caches them per image), else they are computed from `input`.
    public func trainStep(
        input: UnsafePointer<Float>, labels: [Float], batch: Int, height: Int, width: Int,
        optimizer: inout Optimizer, keep: [Float] = [], statistics: [[Float]]? = nil
    ) throws -> StepResult {
        let result = try computeGradients(input: input, labels: labels, batch: batch, height: height, width: width,
                                          keep: keep, statistics: statistics)
        try optimizer.update(parameters, gradients: UnsafeBufferPointer(gradients), decayed: architecture.decayedRanges)
        return result
    }

    public func trainStep(
        input: [Float], labels: [Float], batch: Int, height: Int, width: Int, optimizer: inout Optimizer
    ) throws -> StepResult {
        try checkCount(input, batch: batch, height: height, width: width)
        return try input.withUnsafeBufferPointer {
            try trainStep(input: $0.baseAddress!, labels: labels, batch: batch, height: height, width: width,
                          optimizer: &optimizer)
        }
    }

    /// One logit per image of a batch (N, 3, height, width); probability =
    /// sigmoid(logit). With `flip_average` it is the mean of the logits of the
    /// image and of its mirror image (the statistics are the image's own).
    public func predictLogits(input: UnsafePointer<Float>, batch: Int, height: Int, width: Int) throws -> [Float] {
        let statistics = standardisedStatistics(input, batch: batch, height: height, width: width)
        let logits = try forwardLogits(input, statistics: statistics, batch: batch, height: height, width: width)
        guard architecture.flipAverage else { return logits }
        let mirrored = mirror(input, batch: batch, height: height, width: width)
        let mirroredLogits = try forwardLogits(mirrored, statistics: statistics, batch: batch, height: height, width: width)
        return zip(logits, mirroredLogits).map { ($0 + $1) / 2 }
    }

    private func forwardLogits(
        _ input: UnsafePointer<Float>, statistics: [Float], batch: Int, height: Int, width: Int
    ) throws -> [Float] {
        let plan = try forward(input: input, batch: batch, height: height, width: width, training: false)
        let head = headInput(plan, statistics: statistics, batch: batch)
        let logits = headForward(head.values, batch: batch).logits
        return logits
    }

    public func predictLogits(input: [Float], batch: Int, height: Int, width: Int) throws -> [Float] {
        try checkCount(input, batch: batch, height: height, width: width)
        return try input.withUnsafeBufferPointer {
            try predictLogits(input: $0.baseAddress!, batch: batch, height: height, width: width)
        }
    }

    /// Class activation maps for a batch (N, 3, height, width): the last
    /// feature maps weighted by how much the logit grows with each channel's
    /// pooled value (d logit / d average + d logit / d max, as Grad-CAM does
    /// on the pooled features). For the seed's head (average pooling, dense)
    /// the weights are the dense kernel and the maps average to the logit
    /// minus the bias. The statistics have no position and add nothing.
    public func classActivationMaps(input: [Float], batch: Int, height: Int, width: Int) throws -> ActivationMaps {
        try checkCount(input, batch: batch, height: height, width: width)
        let statistics = input.withUnsafeBufferPointer {
            standardisedStatistics($0.baseAddress!, batch: batch, height: height, width: width)
        }
        let plan = try input.withUnsafeBufferPointer {
            try forward(input: $0.baseAddress!, batch: batch, height: height, width: width, training: false)
        }
        let (c, s, d) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs)
        let feature = features(plan)
        let head = headInput(plan, statistics: statistics, batch: batch)
        let hidden = headForward(head.values, batch: batch).hidden
        let slope = headBackward(dlogits: [Float](repeating: 1, count: batch), input: head.values, hidden: hidden,
                                 batch: batch)  // (N, D)
        let maxWeights = architecture.pooling == .averageMax
        var maps = [Float](repeating: 0, count: batch * s)
        for b in 0..<batch {
            for k in 0..<c {
                let weight = slope[b * d + k] + (maxWeights ? slope[b * d + c + k] : 0)
                let plane = feature + (b * c + k) * s
                for i in 0..<s { maps[b * s + i] += weight * plane[i] }
            }
        }
        return ActivationMaps(batch: batch, height: plan.featureHeight, width: plan.featureWidth, values: maps)
    }

    /// Loss and gradients (into `gradients`) without updating; the training
    /// step and the gradient tests share it.
    func computeGradients(
        input: UnsafePointer<Float>, labels: [Float], batch: Int, height: Int, width: Int, keep: [Float] = [],
        statistics given: [[Float]]? = nil
    ) throws -> StepResult {
        guard labels.count == batch else {
            throw NetworkError.invalidInput("\(labels.count) labels for a batch of \(batch)")
        }
        if let given, given.count != batch || given.contains(where: { $0.count != ImageStatistics.count }) {
            throw NetworkError.invalidInput("statistics for \(given.count) images, batch of \(batch)")
        }
        let statistics = given.map { architecture.usesStatistics ? $0.flatMap(statisticsNormalisation.apply) : [] }
            ?? standardisedStatistics(input, batch: batch, height: height, width: width)
        let plan = try forward(input: input, batch: batch, height: height, width: width, training: true)
        let (c, s, d) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs)
        let feature = features(plan)
        var head = headInput(plan, statistics: statistics, batch: batch)
        let pooled = pooledFeatures
        guard keep.isEmpty || keep.count == batch * pooled else {
            throw NetworkError.invalidInput("\(keep.count) dropout factors for \(batch) x \(pooled) pooled features")
        }
        for (i, factor) in keep.enumerated() { head.values[(i / pooled) * d + i % pooled] *= factor }
        let (logits, hidden) = headForward(head.values, batch: batch)
        var dlogits = [Float](repeating: 0, count: batch)
        let loss = binaryCrossEntropyForwardBackward(dlogits: &dlogits, logits: logits, labels: labels, n: batch)
        var dhead = headBackward(dlogits: dlogits, input: head.values, hidden: hidden, batch: batch)  // (N, D)
        for (i, factor) in keep.enumerated() { dhead[(i / pooled) * d + i % pooled] *= factor }
        // The pooled parts of dhead flow back into the feature maps; the
        // statistics are inputs, not functions of the weights.
        let dfeature = arena.pointer(slot: plan.featureGradientSlot).assumingMemoryBound(to: Float.self)
        let daverage = (0..<(batch * c)).map { dhead[($0 / c) * d + $0 % c] }  // (N, C)
        globalAveragePoolBackward(dfeature, daverage, feature, n: batch, c: c, s: s)
        if architecture.pooling == .averageMax {
            let dmaximum = (0..<(batch * c)).map { dhead[($0 / c) * d + c + $0 % c] }  // (N, C)
            globalMaxPoolBackwardAccumulate(dfeature, dmaximum, head.argmax, feature, n: batch, c: c, s: s)
        }
        try plan.runBackward(on: stream)
        let correct = zip(logits, labels).filter { ($0 >= 0) == ($1 >= 0.5) }.count
        return StepResult(loss: loss, correct: correct)
    }

    private func forward(
        input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, training: Bool
    ) throws -> ShapePlan {
        guard batch > 0, height > 0, width > 0 else {
            throw NetworkError.invalidInput("batch \(batch), \(height)x\(width)")
        }
        // OpenMP's thread count is per calling thread: set it on every entry.
        omp_set_num_threads(Int32(threads))
        let key = PlanKey(batch: batch, height: height, width: width, training: training)
        let plan: ShapePlan
        if let existing = plans[key] {
            plan = existing
        } else {
            plan = try ShapePlan(architecture: architecture, batch: batch, height: height, width: width,
                                 training: training, engine: engine,
                                 splitStages: Self.stagesRunImageByImage)
            plan.reserve(in: arena)
            plans[key] = plan
        }
        try plan.bind(arena: arena, parameters: parameters.baseAddress!, gradients: gradients.baseAddress!,
                      input: input)
        try plan.runForward(on: stream)
        return plan
    }

    /// The dense layer's input (N, D) for the forward pass just run: average
    /// pool, then max pool (with `average+max`), then the standardised
    /// statistics (N, ImageStatistics.count); and where each channel's maximum was.
    private func headInput(_ plan: ShapePlan, statistics: [Float], batch: Int) -> (values: [Float], argmax: [Int]) {
        let (c, s, d) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs)
        let feature = features(plan)
        var average = [Float](repeating: 0, count: batch * c)
        globalAveragePoolForward(&average, feature, n: batch, c: c, s: s)
        var maximum = [Float](), argmax = [Int]()
        if architecture.pooling == .averageMax {
            maximum = [Float](repeating: 0, count: batch * c)
            argmax = [Int](repeating: 0, count: batch * c)
            globalMaxPoolForward(&maximum, &argmax, feature, n: batch, c: c, s: s)
        }
        let k = ImageStatistics.count
        var values = [Float]()
        values.reserveCapacity(batch * d)
        for b in 0..<batch {
            values += average[(b * c)..<((b + 1) * c)]
            if !maximum.isEmpty { values += maximum[(b * c)..<((b + 1) * c)] }
            if !statistics.isEmpty { values += statistics[(b * k)..<((b + 1) * k)] }
        }
        return (values, argmax)
    }

    /// Pooled convolution features per image at the head's input (C, or 2C
    /// with `average+max`): what training's dropout acts on.
    public var pooledFeatures: Int { architecture.pooledFeatures }

    /// The head on its input (N, D): logits (N), and the hidden layer's
    /// activations (N, H) after ReLU (empty without a hidden layer).
    private func headForward(_ input: [Float], batch: Int) -> (logits: [Float], hidden: [Float]) {
        let p = parameters.baseAddress!, d = architecture.headInputs
        var logits = [Float](repeating: 0, count: batch)
        guard let kernel = architecture.hiddenKernel, let bias = architecture.hiddenBias else {
            linearForward(&logits, input, kernel: p + architecture.denseKernel.offset, bias: p + architecture.denseBias.offset,
                          n: batch, inputs: d, outputs: 1)
            return (logits, [])
        }
        let h = architecture.hiddenUnits
        var hidden = [Float](repeating: 0, count: batch * h)
        linearForward(&hidden, input, kernel: p + kernel.offset, bias: p + bias.offset, n: batch, inputs: d, outputs: h)
        for i in hidden.indices where hidden[i] < 0 { hidden[i] = 0 }
        linearForward(&logits, hidden, kernel: p + architecture.denseKernel.offset, bias: p + architecture.denseBias.offset,
                      n: batch, inputs: h, outputs: 1)
        return (logits, hidden)
    }

    /// Writes the head's parameter gradients and returns d loss / d input (N, D).
    private func headBackward(dlogits: [Float], input: [Float], hidden: [Float], batch: Int) -> [Float] {
        let (p, g, d) = (parameters.baseAddress!, gradients.baseAddress!, architecture.headInputs)
        let (dense, denseBias) = (architecture.denseKernel.offset, architecture.denseBias.offset)
        var dinput = [Float](repeating: 0, count: batch * d)
        guard let kernel = architecture.hiddenKernel, let bias = architecture.hiddenBias else {
            linearBackward(dinput: &dinput, dkernel: g + dense, dbias: g + denseBias, dout: dlogits, input: input,
                           kernel: p + dense, n: batch, inputs: d, outputs: 1)
            return dinput
        }
        let h = architecture.hiddenUnits
        var dhidden = [Float](repeating: 0, count: batch * h)
        linearBackward(dinput: &dhidden, dkernel: g + dense, dbias: g + denseBias, dout: dlogits, input: hidden,
                       kernel: p + dense, n: batch, inputs: h, outputs: 1)
        for i in dhidden.indices where hidden[i] <= 0 { dhidden[i] = 0 }  // ReLU
        linearBackward(dinput: &dinput, dkernel: g + kernel.offset, dbias: g + bias.offset, dout: dhidden, input: input,
                       kernel: p + kernel.offset, n: batch, inputs: d, outputs: h)
        return dinput
    }

    /// (N, 16) standardised statistics of each image, or empty if the model has none.
    private func standardisedStatistics(_ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int) -> [Float] {
        guard architecture.usesStatistics else { return [] }
        let plane = Architecture.inputChannels * height * width
        return (0..<batch).flatMap { b in
            statisticsNormalisation.apply(ImageStatistics.compute(input + b * plane, height: height, width: width))
        }
    }

    /// A left-right mirrored copy of a batch (N, C, H, W), in a buffer the network reuses.
    private func mirror(_ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int) -> UnsafePointer<Float> {
        let count = batch * Architecture.inputChannels * height * width
        if mirrorBuffer.count < count {
            mirrorBuffer.deallocate()
            mirrorBuffer = .allocate(capacity: count)
        }
        let out = mirrorBuffer.baseAddress!
        for row in 0..<(count / width) {
            let (source, target) = (input + row * width, out + row * width)
            for x in 0..<width { target[x] = source[width - 1 - x] }
        }
        return UnsafePointer(out)
    }

    private func features(_ plan: ShapePlan) -> UnsafePointer<Float> {
        UnsafePointer(arena.pointer(slot: plan.featureSlot).assumingMemoryBound(to: Float.self))
    }

    private func checkCount(_ input: [Float], batch: Int, height: Int, width: Int) throws {
        let expected = batch * Architecture.inputChannels * height * width
        guard input.count == expected else {
            throw NetworkError.invalidInput("\(input.count) values for (\(batch), 3, \(height), \(width))")
        }
    }

    // MARK: Parameters

    /// Every parameter tensor, named and shaped as in PyTorch.
    public func parameterTensors() -> [NamedTensor] {
        architecture.tensors.map { NamedTensor(name: $0.name, shape: $0.shape, values: Array(parameters[$0.range])) }
    }

    /// Loads tensors exported by `parameterTensors()` (or converted from PyTorch);
    /// every tensor must be present with its exact shape.
    public func loadParameters(_ tensors: [NamedTensor]) throws {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for tensor in architecture.tensors {
            guard let given = byName[tensor.name] else {
                throw NetworkError.invalidParameters("missing \(tensor.name)")
            }
            guard given.shape == tensor.shape, given.values.count == tensor.count else {
                throw NetworkError.invalidParameters("\(tensor.name) has shape \(given.shape), expected \(tensor.shape)")
            }
        }
        for tensor in architecture.tensors {
            for (i, value) in byName[tensor.name]!.values.enumerated() { parameters[tensor.offset + i] = value }
        }
    }

    /// The flat parameter vector (the order of `parameterTensors()`), for checkpoints.
    public var flatParameters: [Float] { Array(parameters) }

    public func setFlatParameters(_ values: [Float]) throws {
        guard values.count == parameterCount else {
            throw NetworkError.invalidParameters("\(values.count) values, expected \(parameterCount)")
        }
        _ = parameters.update(fromContentsOf: values)
    }

    /// The gradients of the last step, parallel to `flatParameters` (for tests).
    var flatGradients: [Float] { Array(gradients) }

    /// oneDNN's kernel names, in execution order, for a shape already run
    /// (empty otherwise); for profiling.
    public func kernelNames(batch: Int, height: Int, width: Int, training: Bool) -> [String] {
        plans[PlanKey(batch: batch, height: height, width: width, training: training)]?.implementations ?? []
    }
}
