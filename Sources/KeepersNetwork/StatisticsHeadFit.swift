import KeepersConfig

/// How the head is fitted to the image statistics before training
/// (`train.prefit_steps`).
public struct StatisticsHeadFit: Sendable {
    /// Full-batch Adam steps; 0 = no fit.
    public var steps: Int
    public var learningRate: Float
    /// Decoupled weight decay on the kernels, as in training.
    public var weightDecay: Float

    public init(steps: Int, learningRate: Float = StatisticsHeadFit.learningRate, weightDecay: Float) {
        self.steps = steps
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    public init(settings: TrainSettings) {
        self.init(steps: settings.prefitSteps, weightDecay: Float(settings.weightDecay))
    }

    /// Full-batch steps on standardised inputs converge at 10x the
    /// minibatch rate of training; measured on the quality benchmark's
    /// statistics (docs/quality-benchmark.md): 300 to 1,000 steps at 0.01
    /// rank best, more overfit.
    public static let learningRate: Float = 0.01
}

extension Network {
    /// Starts the network as a model of the image statistics alone: the head's
    /// weights on the statistics (through the hidden layer, if any) are fitted
    /// full-batch to `labels` from the raw statistics of training images, and
    /// its weights on the pooled convolution features are set to 0, so the
    /// first logit is the statistics model's and training adds what the
    /// convolutions see. Sequential in a fixed order: bitwise deterministic
    /// whatever the thread count. Returns the fitted head's mean loss.
    @discardableResult
    public func fitHeadToStatistics(_ statistics: [[Float]], labels: [Float], fit: StatisticsHeadFit) throws -> Float {
        guard architecture.usesStatistics else {
            throw NetworkError.invalidModel("fitting the head to the image statistics needs model.statistics")
        }
        guard statistics.count == labels.count, !statistics.isEmpty else {
            throw NetworkError.invalidInput("\(statistics.count) statistics rows for \(labels.count) labels")
        }
        let n = statistics.count, k = ImageStatistics.count
        let inputs = statistics.flatMap { statisticsNormalisation.apply($0) }  // (N, K)
        var model = StatisticsModel(network: self)
        var optimizer = Optimizer(kind: .adam, learningRate: fit.learningRate)
        optimizer.weightDecay = fit.weightDecay
        for _ in 0..<fit.steps {
            model.computeGradients(inputs: inputs, labels: labels, n: n, k: k)
            try model.parameters.withUnsafeMutableBufferPointer { p in
                try model.gradients.withUnsafeBufferPointer { g in
                    try optimizer.update(p, gradients: g, decayed: model.kernelRanges)
                }
            }
        }
        try model.store(into: self)
        return model.computeGradients(inputs: inputs, labels: labels, n: n, k: k)
    }
}

/// The head restricted to the statistics: hidden (H, K) and its bias, then
/// dense (1, H) and its bias; or, without a hidden layer, dense (1, K) and its
/// bias. One flat vector in that order, starting from the network's own
/// initial weights on the statistics columns.
private struct StatisticsModel {
    let hidden: Int
    var parameters: [Float]
    var gradients: [Float]
    let kernelRanges: [Range<Int>]

    init(network: Network) {
        let architecture = network.architecture
        let weights = network.flatParameters
        let (k, pooled, d) = (ImageStatistics.count, architecture.pooledFeatures, architecture.headInputs)
        hidden = architecture.hiddenUnits
        var values: [Float] = []
        if let kernel = architecture.hiddenKernel, let bias = architecture.hiddenBias {
            for o in 0..<hidden { values += weights[(kernel.offset + o * d + pooled)..<(kernel.offset + (o + 1) * d)] }
            values += weights[bias.range]
            values += weights[architecture.denseKernel.range]
            kernelRanges = [0..<(hidden * k), (hidden * k + hidden)..<(hidden * k + 2 * hidden)]
        } else {
            values += weights[(architecture.denseKernel.offset + pooled)..<(architecture.denseKernel.offset + d)]
            kernelRanges = [0..<k]
        }
        values += weights[architecture.denseBias.range]
        parameters = values
        gradients = [Float](repeating: 0, count: values.count)
    }

    /// Mean binary cross-entropy over the batch, and its gradients into `gradients`.
    @discardableResult
    mutating func computeGradients(inputs: [Float], labels: [Float], n: Int, k: Int) -> Float {
        let h = hidden
        var logits = [Float](repeating: 0, count: n)
        var dlogits = logits
        var dinputs = [Float](repeating: 0, count: n * k)
        return parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                let (p, g) = (p.baseAddress!, g.baseAddress!)
                guard h > 0 else {
                    linearForward(&logits, inputs, kernel: p, bias: p + k, n: n, inputs: k, outputs: 1)
                    let loss = binaryCrossEntropyForwardBackward(dlogits: &dlogits, logits: logits, labels: labels, n: n)
                    linearBackward(dinput: &dinputs, dkernel: g, dbias: g + k, dout: dlogits, input: inputs, kernel: p,
                                   n: n, inputs: k, outputs: 1)
                    return loss
                }
                let (hiddenBias, dense, denseBias) = (h * k, h * k + h, h * k + 2 * h)
                var activations = [Float](repeating: 0, count: n * h)
                linearForward(&activations, inputs, kernel: p, bias: p + hiddenBias, n: n, inputs: k, outputs: h)
                for i in activations.indices where activations[i] < 0 { activations[i] = 0 }
                linearForward(&logits, activations, kernel: p + dense, bias: p + denseBias, n: n, inputs: h, outputs: 1)
                let loss = binaryCrossEntropyForwardBackward(dlogits: &dlogits, logits: logits, labels: labels, n: n)
                var dactivations = [Float](repeating: 0, count: n * h)
                linearBackward(dinput: &dactivations, dkernel: g + dense, dbias: g + denseBias, dout: dlogits,
                               input: activations, kernel: p + dense, n: n, inputs: h, outputs: 1)
                for i in dactivations.indices where activations[i] <= 0 { dactivations[i] = 0 }  // ReLU
                linearBackward(dinput: &dinputs, dkernel: g, dbias: g + hiddenBias, dout: dactivations, input: inputs,
                               kernel: p, n: n, inputs: k, outputs: h)
                return loss
            }
        }
    }

    /// Writes the fitted weights into the network's head, with 0 on the
    /// pooled convolution features.
    func store(into network: Network) throws {
        let architecture = network.architecture
        var weights = network.flatParameters
        let (k, pooled, d) = (ImageStatistics.count, architecture.pooledFeatures, architecture.headInputs)
        if let kernel = architecture.hiddenKernel, let bias = architecture.hiddenBias {
            for o in 0..<hidden {
                let row = kernel.offset + o * d
                for i in 0..<pooled { weights[row + i] = 0 }
                for i in 0..<k { weights[row + pooled + i] = parameters[o * k + i] }
            }
            for o in 0..<hidden { weights[bias.offset + o] = parameters[hidden * k + o] }
            for o in 0..<hidden { weights[architecture.denseKernel.offset + o] = parameters[hidden * k + hidden + o] }
        } else {
            let dense = architecture.denseKernel.offset
            for i in 0..<pooled { weights[dense + i] = 0 }
            for i in 0..<k { weights[dense + pooled + i] = parameters[i] }
        }
        weights[architecture.denseBias.offset] = parameters[parameters.count - 1]
        try network.setFlatParameters(weights)
    }
}
