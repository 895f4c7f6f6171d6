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
        let n = statistics.count
        let inputs = statistics.flatMap { statisticsNormalisation.apply($0) }  // (N, K)
        var model = StatisticsHead(network: self)
        var optimizer = Optimizer(kind: .adam, learningRate: fit.learningRate)
        optimizer.weightDecay = fit.weightDecay
        for _ in 0..<fit.steps {
            model.computeGradients(inputs: inputs, labels: labels, n: n)
            try model.parameters.withUnsafeMutableBufferPointer { p in
                try model.gradients.withUnsafeBufferPointer { g in
                    try optimizer.update(p, gradients: g, decayed: model.kernelRanges)
                }
            }
        }
        try model.store(into: self)
        return model.computeGradients(inputs: inputs, labels: labels, n: n)
    }
}

/// The head restricted to the statistics: hidden (U, K) and its bias, then
/// dense (1, U) and its bias; or, without a hidden layer, dense (1, K) and its
/// bias. One flat vector in that order, starting from the network's own
/// initial weights on the statistics columns.
private struct StatisticsHead {
    let hidden: Int
    var parameters: [Float]
    var gradients: [Float]
    let kernelRanges: [Range<Int>]
    /// The network's head layers over `parameters`, with K inputs.
    let head: DenseHead

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
            head = DenseHead(inputs: k, hiddenUnits: hidden, hiddenKernel: 0, hiddenBias: hidden * k,
                             denseKernel: hidden * k + hidden, denseBias: hidden * k + 2 * hidden)
        } else {
            values += weights[(architecture.denseKernel.offset + pooled)..<(architecture.denseKernel.offset + d)]
            kernelRanges = [0..<k]
            head = DenseHead(inputs: k, hiddenUnits: 0, hiddenKernel: 0, hiddenBias: 0, denseKernel: 0, denseBias: k)
        }
        values += weights[architecture.denseBias.range]
        parameters = values
        gradients = [Float](repeating: 0, count: values.count)
    }

    /// Mean binary cross-entropy over the batch of inputs (N, K), and its gradients into `gradients`.
    @discardableResult
    mutating func computeGradients(inputs: [Float], labels: [Float], n: Int) -> Float {
        let head = head
        return parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                let (logits, activations) = head.forward(inputs, n: n, parameters: p.baseAddress!)
                let loss = binaryCrossEntropyForward(logits: logits, labels: labels, n: n)
                var dlogits = [Float](repeating: 0, count: n)
                binaryCrossEntropyBackward(dlogits: &dlogits, logits: logits, labels: labels, n: n)
                _ = head.backward(dlogits: dlogits, input: inputs, hidden: activations, n: n, parameters: p.baseAddress!,
                                  gradients: g.baseAddress!)
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
