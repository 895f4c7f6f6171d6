/// A pretrained backbone (EfficientNet-Lite0, docs/backbone.md) on oneDNN,
/// inference only: an image in, its pooled features out. Any input size:
/// a plan per shape, compiled on first use and kept for the most recently
/// used `planLimit` shapes, so memory stays bounded however many shapes an
/// archive holds. Not thread-safe: one caller at a time (oneDNN spreads each
/// call over `threads` cores).
public final class BackboneNetwork {
    public let featureCount: Int
    public let inputChannels: Int
    private let layers: [BackboneConvolution]
    private let engine: Engine
    private let stream: Stream
    private let weights: BackboneWeights
    private let threads: Int
    private let planLimit: Int
    /// Most recently used last.
    private var plans: [BackbonePlan] = []

    package init(layers: [BackboneConvolution], threads: Int, planLimit: Int = 4) throws {
        guard let first = layers.first else { throw NetworkError.invalidModel("a backbone without layers") }
        var channels = first.inputChannels
        for (index, layer) in layers.enumerated() {
            if let problem = layer.problem(index: index, previousChannels: channels, layers: layers) {
                throw NetworkError.invalidModel(problem)
            }
            channels = layer.outputChannels
        }
        self.layers = layers
        featureCount = channels
        inputChannels = first.inputChannels
        self.threads = max(1, threads)
        self.planLimit = max(1, planLimit)
        engine = try Engine()
        stream = try Stream(engine: engine)
        weights = try BackboneWeights(layers: layers, engine: engine, stream: stream)
    }

    /// The features of one image, `image` plain (C, H, W) as the backbone's
    /// input normalisation left it.
    public func features(image: UnsafeBufferPointer<Float>, height: Int, width: Int) throws -> [Float] {
        guard image.count == inputChannels * height * width else {
            throw NetworkError.invalidInput("\(image.count) values for a \(inputChannels)x\(height)x\(width) image")
        }
        setComputeThreads(threads)
        let plan = try plan(height: height, width: width)
        var features = [Float](repeating: 0, count: featureCount)
        try features.withUnsafeMutableBufferPointer { try plan.run(image: image.baseAddress!, features: $0.baseAddress!, on: stream) }
        return features
    }

    /// Shapes with a compiled plan now, least recently used first.
    public var plannedShapes: [(height: Int, width: Int)] { plans.map { ($0.height, $0.width) } }

    private func plan(height: Int, width: Int) throws -> BackbonePlan {
        if let index = plans.firstIndex(where: { $0.height == height && $0.width == width }) {
            let plan = plans.remove(at: index)
            plans.append(plan)
            return plan
        }
        if plans.count >= planLimit { plans.removeFirst() }
        let plan = try BackbonePlan(layers: layers, weights: weights, height: height, width: width, engine: engine)
        plans.append(plan)
        return plan
    }
}
