import Foundation
import KeepersCore
import Testing
@testable import KeepersNetwork

@Suite struct NetworkTests {
    /// The default convolutions with a chosen head.
    static func model(pooling: GlobalPooling = .averageMax, statistics: Bool = true, hidden: Int = 32,
                      flipAverage: Bool = false) -> ModelSettings {
        var model = ModelSettings()
        model.pooling = pooling
        model.statistics = statistics
        model.hidden = hidden
        model.flipAverage = flipAverage
        return model
    }

    @Test func defaultNetworkHas52929Parameters() throws {
        let network = try Network(seed: 1, threads: 1)
        #expect(network.parameterCount == 52_929)
        let tensors = network.parameterTensors()
        #expect(tensors.map(\.name) == [
            "conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias", "conv3.kernel", "conv3.bias",
            "conv4.kernel", "conv4.bias", "conv5.kernel", "conv5.bias", "hidden.kernel", "hidden.bias",
            "dense.kernel", "dense.bias",
        ])
        #expect(tensors[0].shape == [16, 3, 3, 3])
        #expect(tensors[8].shape == [48, 48, 3, 3])
        #expect(tensors[10].shape == [32, 48 + 48 + 25])
        #expect(tensors[12].shape == [1, 32])
        #expect(tensors[13].shape == [1])
        #expect(tensors.reduce(0) { $0 + $1.values.count } == 52_929)
        let seed = try Network(model: Self.model(pooling: .average, statistics: false, hidden: 0), seed: 1, threads: 1)
        #expect(seed.parameterCount == 49_041)
    }

    @Test func heInitialisationIsSeededWithZeroBiases() throws {
        let a = try Network(seed: 7, threads: 1), b = try Network(seed: 7, threads: 1), c = try Network(seed: 8, threads: 1)
        #expect(a.flatParameters == b.flatParameters)
        #expect(a.flatParameters != c.flatParameters)
        let conv2 = a.parameterTensors()[2].values
        let std = (conv2.reduce(0) { $0 + Double($1 * $1) } / Double(conv2.count)).squareRoot()
        #expect(abs(std - (2.0 / 144).squareRoot()) < 0.01)
        #expect(a.parameterTensors().filter { $0.name.hasSuffix(".bias") }.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
    }

    @Test func summaryListsShapesAndTotal() throws {
        let summary = try Network(seed: 1, threads: 1).summary(height: 320, width: 480)
        #expect(summary.contains("16x320x480"))
        #expect(summary.contains("48x20x30"))
        #expect(summary.contains("global max pool"))
        #expect(summary.contains("dense 121->32 + ReLU"))
        #expect(summary.contains("dense 32->1"))
        #expect(summary.contains("total parameters: 52929"))
    }

    /// Loss gradient with respect to a few parameters of every tensor, through
    /// the whole network as it trains (blocked formats, fused ReLU, pooled
    /// ReLU mask), against central differences of the loss.
    /// The head is average and max pooling plus the image statistics, so the
    /// max-pool routing is checked too.
    @Test func wholeNetworkGradientMatchesFiniteDifferences() throws {
        let (batch, height, width) = (2, 16, 24)
        let network = try Network(model: Self.model(), seed: 3, threads: 1)
        network.statisticsNormalisation = StatisticsNormalisation(
            mean: .init(repeating: 10, count: ImageStatistics.count), std: .init(repeating: 40, count: ImageStatistics.count))
        let input = GradientCheck.random(batch * 3 * height * width, seed: 4, scale: 0.5)
        let labels: [Float] = [1, 0]
        try input.withUnsafeBufferPointer {
            let pass = try network.forward(input: $0.baseAddress!, labels: labels, batch: batch, height: height, width: width)
            try network.backward(pass)
        }
        let analytic = network.flatGradients
        let parameters = network.flatParameters
        func loss(_ p: [Float]) throws -> Double {
            try network.setFlatParameters(p)
            let logits = try network.predictLogits(input: input, batch: batch, height: height, width: width)
            return zip(logits, labels).reduce(0) { sum, pair in
                let (x, y) = (Double(pair.0), Double(pair.1))
                return sum + max(x, 0) - x * y + log1p(exp(-abs(x)))
            } / Double(batch)
        }
        // A ReLU or max-pool switching inside [p - h, p + h] bends the difference
        // quotient; shrinking h tells such a kink from a wrong gradient. Below
        // 1e-4 float32 round-off of the logits takes over.
        var worst: Double = 0
        for tensor in network.architecture.tensors {
            for k in 0..<min(4, tensor.count) {
                let i = tensor.offset + (k * 7919) % tensor.count
                var numerics: [Double] = []
                for step: Float in [1e-3, 3e-4, 1e-4] {
                    numerics.append(try GradientCheck.central(parameters, index: i, step: step, loss))
                    if GradientCheck.close(analytic[i], numerics.last!, absolute: 1e-4, relative: 3e-2) { break }
                }
                worst = max(worst, abs(Double(analytic[i]) - numerics.last!))
                #expect(GradientCheck.close(analytic[i], numerics.last!, absolute: 1e-4, relative: 3e-2),
                        "\(tensor.name)[\(i - tensor.offset)]: analytic \(analytic[i]), numeric \(numerics)")
            }
        }
        print("whole-network gradient check: largest absolute difference \(worst)")
    }

    @Test func trainingIsBitwiseDeterministic() throws {
        func train() throws -> [Float] {
            let network = try Network(seed: 11, threads: 2)
            var optimizer = Optimizer()
            for step in 0..<4 {
                let (height, width) = step % 2 == 0 ? (32, 48) : (48, 32)
                let input = GradientCheck.random(2 * 3 * height * width, seed: UInt64(100 + step), scale: 0.5)
                _ = try network.trainStep(input: input, labels: [1, 0], batch: 2, height: height, width: width,
                                          optimizer: &optimizer)
            }
            return network.flatParameters
        }
        let first = try train(), second = try train()
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    }

    @Test func trainingReducesLossOnAFixedBatch() throws {
        let network = try Network(model: Self.model(statistics: false), seed: 5, threads: 1)
        var optimizer = Optimizer(learningRate: 3e-3)
        let input = GradientCheck.random(4 * 3 * 32 * 32, seed: 6, scale: 0.5)
        let labels: [Float] = [1, 0, 1, 0]
        let first = try network.trainStep(input: input, labels: labels, batch: 4, height: 32, width: 32, optimizer: &optimizer)
        var last = first
        for _ in 0..<30 {
            last = try network.trainStep(input: input, labels: labels, batch: 4, height: 32, width: 32, optimizer: &optimizer)
        }
        #expect(last.loss < first.loss * 0.5)
        #expect(last.correct == 4)
    }

    @Test func parametersRoundTripThroughNamedTensorsAndFlatVectors() throws {
        let source = try Network(seed: 1, threads: 1)
        var optimizer = Optimizer()
        let input = GradientCheck.random(2 * 3 * 16 * 16, seed: 2)
        _ = try source.trainStep(input: input, labels: [0, 1], batch: 2, height: 16, width: 16, optimizer: &optimizer)

        let copy = try Network(seed: 99, threads: 1)
        try copy.loadParameters(source.parameterTensors())
        #expect(copy.flatParameters.map(\.bitPattern) == source.flatParameters.map(\.bitPattern))

        // A checkpoint: flat parameters plus optimiser state continue bit for bit.
        let resumed = try Network(seed: 42, threads: 1)
        try resumed.setFlatParameters(source.flatParameters)
        var resumedOptimizer = Optimizer()
        resumedOptimizer.restore(step: optimizer.step, firstMoment: optimizer.firstMoment,
                                 secondMoment: optimizer.secondMoment)
        _ = try source.trainStep(input: input, labels: [1, 1], batch: 2, height: 16, width: 16, optimizer: &optimizer)
        _ = try resumed.trainStep(input: input, labels: [1, 1], batch: 2, height: 16, width: 16,
                                  optimizer: &resumedOptimizer)
        #expect(resumed.flatParameters.map(\.bitPattern) == source.flatParameters.map(\.bitPattern))
        #expect(resumedOptimizer == optimizer)

        var tensors = source.parameterTensors()
        tensors[0] = NamedTensor(name: "conv1.kernel", shape: [16, 3, 3], values: [])
        #expect(throws: NetworkError.self) { try copy.loadParameters(tensors) }
    }

    /// With the seed's head (average pooling only) the maps' mean is the logit minus the bias.
    @Test func activationMapsAverageToTheLogitMinusBias() throws {
        let network = try Network(model: Self.model(pooling: .average, statistics: false, hidden: 0), seed: 2, threads: 1)
        var tensors = network.parameterTensors()
        tensors[11] = NamedTensor(name: "dense.bias", shape: [1], values: [0.25])
        try network.loadParameters(tensors)
        let input = GradientCheck.random(2 * 3 * 64 * 96, seed: 3, scale: 0.5)
        let logits = try network.predictLogits(input: input, batch: 2, height: 64, width: 96)
        let maps = try network.classActivationMaps(input: input, batch: 2, height: 64, width: 96)
        #expect(maps.height == 4 && maps.width == 6)
        for b in 0..<2 {
            let plane = maps.values[(b * 24)..<((b + 1) * 24)]
            let mean = plane.reduce(0, +) / 24
            #expect(abs(mean + 0.25 - logits[b]) < 1e-5)
        }
    }

    @Test func trainingAndInferencePlansAgree() throws {
        let network = try Network(model: Self.model(), seed: 4, threads: 1)
        let input = GradientCheck.random(3 * 3 * 48 * 32, seed: 5, scale: 0.5)
        let before = network.flatParameters
        var sgd = Optimizer(kind: .sgd, learningRate: 0)
        let step = try network.trainStep(input: input, labels: [1, 0, 1], batch: 3, height: 48, width: 32, optimizer: &sgd)
        #expect(network.flatParameters == before)
        let logits = try network.predictLogits(input: input, batch: 3, height: 48, width: 32)
        let loss = zip(logits, [Float(1), 0, 1]).map { binaryCrossEntropy(logit: $0, label: $1) }.reduce(0, +) / 3
        #expect(abs(loss - step.loss) < 1e-5)
    }

    /// Inference runs the first stages image by image with the images taking
    /// turns in one image's worth of memory; each image of a batch must still
    /// score as it does alone.
    @Test func aBatchScoresEachImageAsItScoresAlone() throws {
        let network = try Network(model: Self.model(), seed: 6, threads: 1)
        let (batch, size) = (4, 3 * 48 * 32)
        let input = GradientCheck.random(batch * size, seed: 7, scale: 0.5)
        let together = try network.predictLogits(input: input, batch: batch, height: 48, width: 32)
        for image in 0..<batch {
            let alone = try network.predictLogits(input: Array(input[(image * size)..<((image + 1) * size)]), batch: 1,
                                                   height: 48, width: 32)
            #expect(abs(alone[0] - together[image]) < 1e-5)
        }
        #expect(Set(together).count == batch)
    }

    /// flip_average scores an image as the mean logit of it and its mirror,
    /// with the statistics of the image itself.
    @Test func flipAverageIsTheMeanOfTheImageAndItsMirror() throws {
        let (batch, height, width) = (2, 16, 24)  // an even width: the mirror's statistics are the image's
        let averaged = try Network(model: Self.model(flipAverage: true), seed: 6, threads: 1)
        let plain = try Network(model: Self.model(flipAverage: false), seed: 6, threads: 1)
        let input = GradientCheck.random(batch * 3 * height * width, seed: 8, scale: 0.5)
        var mirrored = input
        for row in 0..<(batch * 3 * height) {
            for x in 0..<width { mirrored[row * width + x] = input[row * width + width - 1 - x] }
        }
        let both = try plain.predictLogits(input: input, batch: batch, height: height, width: width)
        let flipped = try plain.predictLogits(input: mirrored, batch: batch, height: height, width: width)
        let mean = try averaged.predictLogits(input: input, batch: batch, height: height, width: width)
        for b in 0..<batch {
            #expect(abs(mean[b] - (both[b] + flipped[b]) / 2) < 1e-5)
            #expect(abs(both[b] - flipped[b]) > 1e-4, "a mirror-invariant logit would make the check weak")
        }
    }

    /// Dropout factors scale the pooled features: all ones change nothing,
    /// all zeros cut every gradient to the convolutions.
    @Test func dropoutFactorsActOnThePooledFeaturesOnly() throws {
        let (batch, height, width) = (2, 16, 24)
        let network = try Network(model: Self.model(), seed: 3, threads: 1)
        let input = GradientCheck.random(batch * 3 * height * width, seed: 4, scale: 0.5)
        let count = batch * network.pooledFeatures
        #expect(network.pooledFeatures == 2 * 48)
        func gradients(_ keep: [Float]) throws -> (StepResult, [Float]) {
            let pass = try input.withUnsafeBufferPointer {
                try network.forward(input: $0.baseAddress!, labels: [1, 0], batch: batch, height: height, width: width,
                                    keep: keep)
            }
            try network.backward(pass)
            return (pass.result, network.flatGradients)
        }
        let (plain, plainGradients) = try gradients([])
        let (ones, onesGradients) = try gradients([Float](repeating: 1, count: count))
        #expect(plain == ones && plainGradients.map(\.bitPattern) == onesGradients.map(\.bitPattern))
        let (_, zeroGradients) = try gradients([Float](repeating: 0, count: count))
        let convolutions = network.architecture.tensors.filter { $0.name.hasPrefix("conv") }
        #expect(convolutions.allSatisfy { tensor in tensor.range.allSatisfy { zeroGradients[$0] == 0 } })
        #expect(zeroGradients[network.architecture.hiddenKernel!.range].contains { $0 != 0 }, "the statistics still learn")
        #expect(throws: NetworkError.self) { _ = try gradients([1]) }
    }

    /// backward needs the activations its own forward pass left in the arena.
    @Test func backwardRefusesAPassThatALaterForwardOverwrote() throws {
        let network = try Network(seed: 1, threads: 1)
        let input = GradientCheck.random(2 * 3 * 16 * 16, seed: 2)
        let pass = try input.withUnsafeBufferPointer {
            try network.forward(input: $0.baseAddress!, labels: [0, 1], batch: 2, height: 16, width: 16)
        }
        _ = try network.predictLogits(input: input, batch: 2, height: 16, width: 16)
        #expect(throws: NetworkError.self) { try network.backward(pass) }
    }

    /// Predict computes each photo's statistics on its decoding thread and
    /// passes them in: the logits must be the ones computed from the input.
    @Test func givenStatisticsScoreAsComputedOnes() throws {
        let network = try Network(model: Self.model(), seed: 6, threads: 1)
        network.statisticsNormalisation = StatisticsNormalisation(
            mean: (0..<ImageStatistics.count).map { Float($0) * 0.01 }, std: [Float](repeating: 2, count: ImageStatistics.count))
        let (height, width) = (40, 56)
        let input = GradientCheck.random(2 * 3 * height * width, seed: 7, scale: 0.5)
        let raw = (0..<2).map { b in
            input.withUnsafeBufferPointer { ImageStatistics.compute($0.baseAddress! + b * 3 * height * width, height: height, width: width) }
        }
        let computed = try network.predictLogits(input: input, batch: 2, height: height, width: width)
        let given = try network.predictLogits(input: input, batch: 2, height: height, width: width, statistics: raw)
        #expect(given == computed)
        #expect(throws: NetworkError.self) {
            _ = try network.predictLogits(input: input, batch: 2, height: height, width: width, statistics: [raw[0]])
        }
    }

    @Test func rejectsMismatchedInput() throws {
        let network = try Network(seed: 1, threads: 1)
        var optimizer = Optimizer()
        #expect(throws: NetworkError.self) {
            _ = try network.trainStep(input: [0, 1], labels: [1], batch: 1, height: 16, width: 16, optimizer: &optimizer)
        }
        #expect(throws: NetworkError.self) {
            _ = try network.predictLogits(input: [Float](repeating: 0, count: 3 * 8 * 8), batch: 1, height: 8, width: 8)
        }
    }
}
