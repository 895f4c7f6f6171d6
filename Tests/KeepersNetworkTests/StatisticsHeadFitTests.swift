import KeepersCore
import Testing
@testable import KeepersNetwork

/// `fitHeadToStatistics`: the head starts as a model of the image statistics alone.
@Suite struct StatisticsHeadFitTests {
    static let (height, width, count) = (16, 16, 24)

    /// Noisy grey images; the good half (odd indices) is brighter, so the
    /// luminance statistics separate the classes and the pixels vary.
    static func images() -> (input: [Float], labels: [Float]) {
        var random = SequentialRandom(seed: 7)
        var input: [Float] = []
        for index in 0..<count {
            let level = index % 2 == 1 ? 0.1 : -0.15
            for _ in 0..<(3 * height * width) { input.append(Float(level + random.unit() * 0.3 - 0.15)) }
        }
        return (input, (0..<count).map { Float($0 % 2) })
    }

    static func model(hidden: Int, statistics: Bool = true) -> ModelSettings {
        var model = ModelSettings()
        model.layers = [ConvLayerSpec(filters: 4, pool: true), ConvLayerSpec(filters: 6, pool: false)]
        model.hidden = hidden
        model.statistics = statistics
        return model
    }

    static func fitted(hidden: Int, steps: Int = 300) throws -> (network: Network, loss: Float, raw: [[Float]]) {
        let (input, labels) = images()
        let plane = 3 * height * width
        let raw = (0..<count).map { b in
            input.withUnsafeBufferPointer { ImageStatistics.compute($0.baseAddress! + b * plane, height: height, width: width) }
        }
        let network = try Network(model: model(hidden: hidden), seed: 3, threads: 1)
        network.statisticsNormalisation = StatisticsNormalisation(samples: raw)
        let loss = try network.fitHeadToStatistics(raw, labels: labels, fit: StatisticsHeadFit(steps: steps, weightDecay: 0.01))
        return (network, loss, raw)
    }

    @Test(arguments: [8, 0]) func theFitSeparatesTheClassesAndLowersTheLoss(hidden: Int) throws {
        let before = try Self.fitted(hidden: hidden, steps: 0).loss
        let (network, loss, _) = try Self.fitted(hidden: hidden)
        #expect(loss < before / 2, "loss \(loss), before the fit \(before)")
        let logits = try network.predictLogits(input: Self.images().input, batch: Self.count, height: Self.height,
                                               width: Self.width)
        let good = stride(from: 1, to: Self.count, by: 2).map { logits[$0] }
        let bad = stride(from: 0, to: Self.count, by: 2).map { logits[$0] }
        #expect(good.min()! > bad.max()!)
    }

    /// Weights on the pooled features are 0, so the logit is the statistics
    /// model's: recomputed here from the tensors and the standardised statistics.
    @Test func theLogitIsTheStatisticsModelsAndTheConvolutionWeightsAreZero() throws {
        let (network, _, raw) = try Self.fitted(hidden: 8)
        let tensors = Dictionary(uniqueKeysWithValues: network.parameterTensors().map { ($0.name, $0) })
        let (pooled, d, k) = (network.pooledFeatures, network.architecture.headInputs, ImageStatistics.count)
        let hiddenKernel = tensors["hidden.kernel"]!.values
        #expect((0..<8).allSatisfy { o in (0..<pooled).allSatisfy { hiddenKernel[o * d + $0] == 0 } })
        let logits = try network.predictLogits(input: Self.images().input, batch: Self.count, height: Self.height,
                                               width: Self.width)
        for (index, statistics) in raw.enumerated() {
            let z = network.statisticsNormalisation.apply(statistics)
            var logit = tensors["dense.bias"]!.values[0]
            for o in 0..<8 {
                var unit = tensors["hidden.bias"]!.values[o]
                for i in 0..<k { unit += hiddenKernel[o * d + pooled + i] * z[i] }
                logit += tensors["dense.kernel"]!.values[o] * max(unit, 0)
            }
            #expect(abs(logit - logits[index]) < 1e-4, "image \(index): \(logit) by hand, \(logits[index]) from the network")
        }
    }

    @Test func theFitIsBitwiseDeterministic() throws {
        let first = try Self.fitted(hidden: 8).network.flatParameters
        let second = try Self.fitted(hidden: 8).network.flatParameters
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    }

    @Test func aModelWithoutStatisticsIsRefused() throws {
        let network = try Network(model: Self.model(hidden: 8, statistics: false), seed: 1, threads: 1)
        #expect(throws: NetworkError.self) {
            try network.fitHeadToStatistics([[Float](repeating: 0, count: ImageStatistics.count)], labels: [1],
                                            fit: StatisticsHeadFit(steps: 10, weightDecay: 0))
        }
    }

    /// The trainer passes each image's cached statistics: the step must equal
    /// one that computes them from the same pixels.
    @Test func givenStatisticsTrainExactlyLikeComputedOnes() throws {
        let (network, _, raw) = try Self.fitted(hidden: 8)
        let other = try Network(model: Self.model(hidden: 8), seed: 3, threads: 1)
        other.statisticsNormalisation = network.statisticsNormalisation
        try other.setFlatParameters(network.flatParameters)
        let (input, labels) = Self.images()
        let batch = 4, plane = 3 * Self.height * Self.width
        var (optimizerA, optimizerB) = (Optimizer(), Optimizer())
        try input.withUnsafeBufferPointer { pointer in
            for step in 0..<3 {
                let first = step * batch
                let x = pointer.baseAddress! + first * plane, y = Array(labels[first..<(first + batch)])
                _ = try network.trainStep(input: x, labels: y, batch: batch, height: Self.height, width: Self.width,
                                          optimizer: &optimizerA, statistics: Array(raw[first..<(first + batch)]))
                _ = try other.trainStep(input: x, labels: y, batch: batch, height: Self.height, width: Self.width,
                                        optimizer: &optimizerB)
            }
        }
        #expect(network.flatParameters.map(\.bitPattern) == other.flatParameters.map(\.bitPattern))
    }
}
