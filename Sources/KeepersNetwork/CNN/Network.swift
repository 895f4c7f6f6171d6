import Foundation
import KeepersCore

/// What one training step reports.
public struct StepResult: Sendable, Equatable {
    /// Mean binary cross-entropy over the batch, before the update.
    public let loss: Float
    /// Images whose predicted probability (>= 0.5 means positive) matches the label.
    public let correct: Int

    public init(loss: Float, correct: Int) {
        self.loss = loss
        self.correct = correct
    }
}

/// The keep/discard classifier: a small CNN whose convolutions, ReLUs and
/// max-pools run in oneDNN, with global pooling, dense head, loss and
/// optimiser in Swift (the layers: Layers.swift). Input is float32 NCHW, RGB,
/// normalised to pixel / 255 - 0.5 (see `KeepersCore.InputNormalisation`).
/// A training step is `forward`, `backward`, `update`. Not thread-safe: one
/// network per thread.
public final class Network {
    public let parameterCount: Int
    /// OpenMP threads used by oneDNN. Results are bitwise reproducible for a fixed count.
    public let threads: Int
    let architecture: Architecture

    private let engine: Engine
    private let stream: Stream
    private let arena = Arena()
    /// (P) all parameters in one allocation (PyTorch layout, `architecture.tensors`
    /// order), so the optimiser is one loop.
    let parameters: UnsafeMutableBufferPointer<Float>
    /// (P) parallel to `parameters`; every backward pass rewrites all of it.
    let gradients: UnsafeMutableBufferPointer<Float>
    /// Mean and standard deviation that standardise the image statistics;
    /// the trainer sets them from the training data, model.h5 stores them.
    public var statisticsNormalisation = StatisticsNormalisation.identity
    /// Boosted trees on the standardised statistics (`model.trees`): each
    /// image's logit is theirs plus the network's own. The trainer fits
    /// them before the first step, model.h5 stores them.
    public var trees: BoostedTrees? {
        didSet { precondition(trees == nil || architecture.usesStatistics, "trees read the image statistics") }
    }
    /// The additive model of the standardised statistics (`model.additive`):
    /// its logit adds to the trees' and the network's own, like theirs.
    public var additive: AdditiveLogistic? {
        didSet { precondition(additive == nil || architecture.usesStatistics, "the additive model reads the image statistics") }
    }
    /// The logistic regression on a pretrained backbone's features
    /// (`model.backbone`): its logit adds to the others'. Scoring then needs
    /// each image's features (`predictLogits(backboneFeatures:)`).
    public var backbone: FeatureLogistic?
    /// The models of the statistics alone whose logits the network's own adds to.
    public var statisticsModels: [any StatisticsModel] { [trees as (any StatisticsModel)?, additive].compactMap { $0 } }
    /// (N, 3, H, W): the mirrored batch of `flip_average`, reused.
    private var mirrorBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)

    private struct PlanKey: Hashable {
        let batch: Int, height: Int, width: Int, training: Bool
    }
    /// Stages 1 and 2 (full and half resolution) run image by image, so each
    /// image's activations stay in L3. Measured at 320x480 batch 4 in quiet
    /// windows: splitting 2 stages trained at 52 images/s and inferred at 195,
    /// splitting only the first 47 and 165.
    static let stagesRunImageByImage = 2
    /// Creating primitives JIT-compiles them: one plan per bucket shape, kept
    /// for the `planLimit` shapes used most recently (`PlanCache`).
    private var plans = PlanCache<PlanKey>(limit: Network.defaultPlanLimit)
    /// Training cycles through a few bucket shapes and predict meets the
    /// common camera shapes again and again: 8 keeps those without a replan,
    /// while a library of many shapes (crops, panoramas) holds at most 8 plans.
    public static let defaultPlanLimit = 8
    /// How many shapes' plans are kept (at least 1); results do not depend on it.
    public var planLimit: Int {
        get { plans.limit }
        set { plans.limit = newValue }
    }
    /// Shapes whose plans are kept now.
    public var plannedShapes: Int { plans.count }
    /// Forward passes run so far: a training pass is only good for backward
    /// until the next one overwrites the activations it left in the arena.
    private var passes = 0

    public init(model: ModelSettings = ModelSettings(), seed: UInt64, threads: Int = 0) throws {
        architecture = try Architecture(model: model)
        parameterCount = architecture.parameterCount
        self.threads = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        setComputeThreads(self.threads)
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

    // MARK: Training: forward, backward, update

    /// What a training forward pass leaves for backward: the head's tensors
    /// (the convolutions' stay in the arena until the next forward pass).
    public struct TrainingPass {
        public let result: StepResult
        fileprivate let plan: ShapePlan
        fileprivate let number: Int
        fileprivate let labels: [Float]  // (N)
        fileprivate let keep: [Float]  // (N, pooled) dropout factors, or empty
        fileprivate let head: HeadInput  // (N, D), dropout applied
        fileprivate let hidden: [Float]  // (N, U)
        /// (N) the logits the loss was taken of (the statistics models' included).
        public let logits: [Float]
    }

    /// The loss of a batch (N, 3, height, width) against `labels` (N).
    /// `keep` (N, pooledFeatures), if given, multiplies the pooled features in
    /// the head (dropout: 0, or 1 / (1 - p) for the features kept).
    /// `statistics`, if given, are each image's raw `ImageStatistics` (a
    /// trainer caches them per image), else they are computed from `input`.
    /// `statisticsLogits`, if given, stand in for the statistics models' logits of
    /// the batch (the trainer's cross-fitted ones, from models that never saw
    /// the image).
    public func forward(
        input: UnsafePointer<Float>, labels: [Float], batch: Int, height: Int, width: Int, keep: [Float] = [],
        statistics given: [[Float]]? = nil, statisticsLogits: [Float]? = nil
    ) throws -> TrainingPass {
        guard labels.count == batch else {
            throw NetworkError.invalidInput("\(labels.count) labels for a batch of \(batch)")
        }
        let statistics = try headStatistics(given, input: input, batch: batch, height: height, width: width)
        let plan = try runConvolutions(input: input, batch: batch, height: height, width: width, training: true)
        var head = headInput(plan, statistics: statistics, batch: batch)
        let (pooled, d) = (pooledFeatures, architecture.headInputs)
        guard keep.isEmpty || keep.count == batch * pooled else {
            throw NetworkError.invalidInput("\(keep.count) dropout factors for \(batch) x \(pooled) pooled features")
        }
        for (i, factor) in keep.enumerated() { head.values[(i / pooled) * d + i % pooled] *= factor }
        var (logits, hidden) = architecture.head.forward(head.values, n: batch, parameters: parameters.baseAddress!)
        let offsets = try statisticsLogits.map { try checkedStatisticsLogits($0, batch: batch) }
            ?? statisticsModelLogits(statistics, batch: batch)
        if let offsets {
            for b in 0..<batch { logits[b] += offsets[b] }
        }
        let loss = binaryCrossEntropyForward(logits: logits, labels: labels, n: batch)
        let correct = zip(logits, labels).filter { ($0 >= 0) == ($1 >= 0.5) }.count
        return TrainingPass(result: StepResult(loss: loss, correct: correct), plan: plan, number: passes, labels: labels,
                            keep: keep, head: head, hidden: hidden, logits: logits)
    }

    /// The gradients of `pass`'s loss, into the gradient vector; `pass` must
    /// be the network's latest forward pass.
    public func backward(_ pass: TrainingPass) throws {
        var dlogits = [Float](repeating: 0, count: pass.plan.batch)  // (N)
        binaryCrossEntropyBackward(dlogits: &dlogits, logits: pass.logits, labels: pass.labels, n: pass.plan.batch)
        try backward(pass, dlogits: dlogits)
    }

    /// The gradients of another loss of `pass`'s logits, given as its
    /// derivative by each logit (N): fault pretraining's ranking loss.
    public func backward(_ pass: TrainingPass, dlogits: [Float]) throws {
        guard pass.number == passes else {
            throw NetworkError.invalidInput("backward needs the latest forward pass; another ran since")
        }
        let (plan, batch) = (pass.plan, pass.plan.batch)
        guard dlogits.count == batch else {
            throw NetworkError.invalidInput("\(dlogits.count) logit gradients for a batch of \(batch)")
        }
        let (c, s, d, pooled) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs,
                                 pooledFeatures)
        var dhead = architecture.head.backward(dlogits: dlogits, input: pass.head.values, hidden: pass.hidden, n: batch,
                                               parameters: parameters.baseAddress!, gradients: gradients.baseAddress!)
        for (i, factor) in pass.keep.enumerated() { dhead[(i / pooled) * d + i % pooled] *= factor }
        // The pooled parts of dhead (N, D) flow back into the feature maps;
        // the statistics are inputs, not functions of the weights.
        let dfeature = arena.pointer(slot: plan.featureGradientSlot).assumingMemoryBound(to: Float.self)  // (N, C, S)
        let daverage = (0..<(batch * c)).map { dhead[($0 / c) * d + $0 % c] }  // (N, C)
        globalAveragePoolBackward(dfeature, daverage, features(plan), n: batch, c: c, s: s)
        if architecture.pooling == .averageMax {
            let dmaximum = (0..<(batch * c)).map { dhead[($0 / c) * d + c + $0 % c] }  // (N, C)
            globalMaxPoolBackwardAccumulate(dfeature, dmaximum, pass.head.argmax, features(plan), n: batch, c: c, s: s)
        }
        try plan.runBackward(on: stream)
    }

    /// One optimiser step on the gradients of the last backward pass.
    public func update(with optimizer: inout Optimizer) throws {
        try optimizer.update(parameters, gradients: UnsafeBufferPointer(gradients), decayed: architecture.decayedRanges)
    }

    /// `forward`, `backward` and `update` on one batch, for callers that need
    /// nothing in between (benchmarks, tests).
    public func trainStep(
        input: UnsafePointer<Float>, labels: [Float], batch: Int, height: Int, width: Int,
        optimizer: inout Optimizer, keep: [Float] = [], statistics: [[Float]]? = nil
    ) throws -> StepResult {
        let pass = try forward(input: input, labels: labels, batch: batch, height: height, width: width, keep: keep,
                               statistics: statistics)
        try backward(pass)
        try update(with: &optimizer)
        return pass.result
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

    // MARK: Prediction

    /// One logit per image of a batch (N, 3, height, width); probability =
    /// sigmoid(logit). With `flip_average` it is the mean of the logits of the
    /// image and of its mirror image (the statistics are the image's own).
    /// `statistics`, if given, are each image's raw `ImageStatistics` (a
    /// caller that prepares images in parallel computes them there), else
    /// they are computed from `input`.
    /// `backboneFeatures` (N, F): each image's backbone features, required
    /// when the network has a `backbone` model and ignored otherwise.
    public func predictLogits(
        input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, statistics given: [[Float]]? = nil,
        backboneFeatures: [Float]? = nil
    ) throws -> [Float] {
        let statistics = try headStatistics(given, input: input, batch: batch, height: height, width: width)
        var logits = try forwardLogits(input, statistics: statistics, batch: batch, height: height, width: width)
        if architecture.flipAverage {
            let mirrored = mirror(input, batch: batch, height: height, width: width)
            let mirroredLogits = try forwardLogits(mirrored, statistics: statistics, batch: batch, height: height, width: width)
            logits = zip(logits, mirroredLogits).map { ($0 + $1) / 2 }
        }
        if let backbone {
            guard let features = backboneFeatures, features.count == batch * backbone.features else {
                throw NetworkError.invalidInput("the network reads \(backbone.features) backbone features per image; "
                                                + "got \(backboneFeatures?.count ?? 0) values for \(batch) images")
            }
            for (b, logit) in backbone.logits(features, n: batch).enumerated() { logits[b] += logit }
        }
        return logits
    }

    public func predictLogits(
        input: [Float], batch: Int, height: Int, width: Int, statistics: [[Float]]? = nil, backboneFeatures: [Float]? = nil
    ) throws -> [Float] {
        try checkCount(input, batch: batch, height: height, width: width)
        return try input.withUnsafeBufferPointer {
            try predictLogits(input: $0.baseAddress!, batch: batch, height: height, width: width, statistics: statistics,
                              backboneFeatures: backboneFeatures)
        }
    }

    private func forwardLogits(
        _ input: UnsafePointer<Float>, statistics: [Float], batch: Int, height: Int, width: Int
    ) throws -> [Float] {
        let plan = try runConvolutions(input: input, batch: batch, height: height, width: width, training: false)
        let head = headInput(plan, statistics: statistics, batch: batch)
        var logits = architecture.head.forward(head.values, n: batch, parameters: parameters.baseAddress!).logits
        if let offsets = statisticsModelLogits(statistics, batch: batch) {
            for b in 0..<batch { logits[b] += offsets[b] }
        }
        return logits
    }

    /// The statistics models' summed logit of each image from its
    /// standardised statistics (N, K), or nil without any.
    private func statisticsModelLogits(_ statistics: [Float], batch: Int) -> [Float]? {
        let models = statisticsModels
        guard !models.isEmpty else { return nil }
        let k = ImageStatistics.count
        return (0..<batch).map { b in models.reduce(0) { $0 + $1.logit(statistics[(b * k)..<((b + 1) * k)]) } }
    }

    private func checkedStatisticsLogits(_ given: [Float], batch: Int) throws -> [Float] {
        guard !statisticsModels.isEmpty || backbone != nil, given.count == batch else {
            throw NetworkError.invalidInput("\(given.count) statistics-model logits for a batch of \(batch)"
                                            + (statisticsModels.isEmpty && backbone == nil ? " of a network without such models" : ""))
        }
        return given
    }

    // MARK: The convolutions and the head's input

    /// Runs the convolution stages on a batch; F is then in the plan's feature slot.
    func runConvolutions(
        input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, training: Bool
    ) throws -> ShapePlan {
        guard batch > 0, height > 0, width > 0 else {
            throw NetworkError.invalidInput("batch \(batch), \(height)x\(width)")
        }
        // OpenMP's thread count is per calling thread: set it on every entry.
        setComputeThreads(threads)
        let key = PlanKey(batch: batch, height: height, width: width, training: training)
        let plan: ShapePlan
        if let existing = plans.plan(key) {
            plan = existing
        } else {
            plan = try ShapePlan(architecture: architecture, batch: batch, height: height, width: width,
                                 training: training, engine: engine, splitStages: Self.stagesRunImageByImage)
            plan.reserve(in: arena)
            plans.insert(plan, for: key)
        }
        try plan.bind(arena: arena, parameters: parameters.baseAddress!, gradients: gradients.baseAddress!, input: input)
        passes += 1
        try plan.runForward(on: stream)
        return plan
    }

    /// The head's input for the convolutions just run.
    struct HeadInput {
        var values: [Float]  // (N, D): average-pooled F, max-pooled F (with `average+max`), standardised statistics
        let argmax: [Int]  // (N, C): where each channel's maximum is (with `average+max`)
    }

    /// Global pooling of F (N, C, S) and the statistics (N, ImageStatistics.count), side by side.
    func headInput(_ plan: ShapePlan, statistics: [Float], batch: Int) -> HeadInput {
        let (c, s, d) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs)
        let feature = features(plan)
        var average = [Float](repeating: 0, count: batch * c)  // (N, C)
        globalAveragePoolForward(&average, feature, n: batch, c: c, s: s)
        var maximum = [Float](), argmax = [Int]()  // (N, C) each
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
        return HeadInput(values: values, argmax: argmax)
    }

    /// Pooled convolution features per image at the head's input (C, or 2C
    /// with `average+max`): what training's dropout acts on.
    public var pooledFeatures: Int { architecture.pooledFeatures }
    /// True when the head takes each image's `ImageStatistics` (`model.statistics`).
    public var usesStatistics: Bool { architecture.usesStatistics }

    /// (N, ImageStatistics.count) standardised statistics of each image, or empty if the model has none.
    /// The head's statistics for a batch: `given` raw ones standardised, or computed from `input`.
    private func headStatistics(
        _ given: [[Float]]?, input: UnsafePointer<Float>, batch: Int, height: Int, width: Int
    ) throws -> [Float] {
        guard let given else { return standardisedStatistics(input, batch: batch, height: height, width: width) }
        guard given.count == batch, given.allSatisfy({ $0.count == ImageStatistics.count }) else {
            throw NetworkError.invalidInput("statistics for \(given.count) images, batch of \(batch)")
        }
        return architecture.usesStatistics ? given.flatMap(statisticsNormalisation.apply) : []
    }

    func standardisedStatistics(_ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int) -> [Float] {
        guard architecture.usesStatistics else { return [] }
        let plane = Architecture.inputChannels * height * width
        let normalisation = statisticsNormalisation
        // The images of a batch on the network's threads: each image's
        // statistics are its own, so the result does not depend on them. The
        // address crosses threads as a number (a pointer is not Sendable);
        // the caller's buffer outlives the call.
        let address = UInt(bitPattern: input)
        return parallelMap(count: batch, threads: threads) { b in
            let image = UnsafePointer<Float>(bitPattern: address)! + b * plane
            return normalisation.apply(ImageStatistics.compute(image, height: height, width: width))
        }.flatMap { $0 }
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

    /// F (N, C, S) of the convolutions just run, plain.
    func features(_ plan: ShapePlan) -> UnsafePointer<Float> {
        UnsafePointer(arena.pointer(slot: plan.featureSlot).assumingMemoryBound(to: Float.self))
    }

    func checkCount(_ input: [Float], batch: Int, height: Int, width: Int) throws {
        let expected = batch * Architecture.inputChannels * height * width
        guard input.count == expected else {
            throw NetworkError.invalidInput("\(input.count) values for (\(batch), 3, \(height), \(width))")
        }
    }

    /// oneDNN's kernel names, in execution order, for a shape already run
    /// (empty otherwise); for profiling.
    public func kernelNames(batch: Int, height: Int, width: Int, training: Bool) -> [String] {
        plans.peek(PlanKey(batch: batch, height: height, width: width, training: training))?.implementations ?? []
    }
}
