import KeepersCore

/// The network's shape, independent of any input size: 3x3 convolutions
/// (stride 1, padding 1, bias, ReLU), each optionally followed by a 2x2/2
/// max-pool, then global pooling (average, or average and max) and a dense
/// layer to one logit over the pooled features and, optionally, the
/// standardised image statistics (`ImageStatistics`).
struct Architecture: Sendable {
    struct Convolution: Sendable {
        let inputChannels: Int
        let outputChannels: Int
        let pool: Bool
    }

    /// One parameter tensor, in PyTorch layout, inside the flat parameter vector.
    struct Tensor: Sendable {
        let name: String
        let shape: [Int]
        let offset: Int
        var count: Int { shape.reduce(1, *) }
        var range: Range<Int> { offset..<(offset + count) }
    }

    static let inputChannels = 3

    let convolutions: [Convolution]
    let pooling: GlobalPooling
    let usesStatistics: Bool
    let flipAverage: Bool
    /// D: the head's inputs, in this order: average-pooled features (C),
    /// max-pooled features (C, with `average+max`), image statistics (`ImageStatistics.count`, if used).
    let headInputs: Int
    /// The pooled part of the head's input: C, or 2C with `average+max`.
    let pooledFeatures: Int
    /// U: units of the hidden layer between the head's inputs and the logit; 0 = none.
    let hiddenUnits: Int
    /// conv1.kernel (out, in, 3, 3), conv1.bias (out), ..., [hidden.kernel (U, D),
    /// hidden.bias (U),] dense.kernel (1, U or D), dense.bias (1).
    let tensors: [Tensor]
    let parameterCount: Int

    init(model: ModelSettings) throws {
        guard !model.layers.isEmpty, model.layers.allSatisfy({ $0.filters > 0 }) else {
            throw NetworkError.invalidModel("needs at least one convolution, each with filters > 0")
        }
        var convolutions: [Convolution] = []
        var channels = Self.inputChannels
        for layer in model.layers {
            convolutions.append(Convolution(inputChannels: channels, outputChannels: layer.filters, pool: layer.pool))
            channels = layer.filters
        }
        var tensors: [Tensor] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int]) {
            let tensor = Tensor(name: name, shape: shape, offset: offset)
            tensors.append(tensor)
            offset += tensor.count
        }
        for (index, conv) in convolutions.enumerated() {
            add("conv\(index + 1).kernel", [conv.outputChannels, conv.inputChannels, 3, 3])
            add("conv\(index + 1).bias", [conv.outputChannels])
        }
        pooling = model.pooling
        usesStatistics = model.statistics
        flipAverage = model.flipAverage
        pooledFeatures = channels * (pooling == .averageMax ? 2 : 1)
        headInputs = pooledFeatures + (usesStatistics ? ImageStatistics.count : 0)
        hiddenUnits = model.hidden
        if hiddenUnits > 0 {
            add("hidden.kernel", [hiddenUnits, headInputs])
            add("hidden.bias", [hiddenUnits])
        }
        add("dense.kernel", [1, hiddenUnits > 0 ? hiddenUnits : headInputs])
        add("dense.bias", [1])
        self.convolutions = convolutions
        self.tensors = tensors
        decayedRanges = tensors.filter { $0.name.hasSuffix(".kernel") }.map(\.range)
        self.parameterCount = offset
    }

    func kernel(ofConvolution index: Int) -> Tensor { tensors[2 * index] }
    func bias(ofConvolution index: Int) -> Tensor { tensors[2 * index + 1] }
    var hiddenKernel: Tensor? { hiddenUnits > 0 ? tensors[2 * convolutions.count] : nil }
    var hiddenBias: Tensor? { hiddenUnits > 0 ? tensors[2 * convolutions.count + 1] : nil }
    var denseKernel: Tensor { tensors[tensors.count - 2] }
    var denseBias: Tensor { tensors[tensors.count - 1] }
    var featureChannels: Int { convolutions.last!.outputChannels }
    /// The head's layers over the flat parameter vector.
    var head: DenseHead {
        DenseHead(inputs: headInputs, hiddenUnits: hiddenUnits, hiddenKernel: hiddenKernel?.offset ?? 0,
                  hiddenBias: hiddenBias?.offset ?? 0, denseKernel: denseKernel.offset, denseBias: denseBias.offset)
    }
    /// Where weight decay applies: every kernel, no bias (used every step, so stored).
    let decayedRanges: [Range<Int>]

    /// Spatial size after the convolution stack (each pool floors the halving).
    func featureSize(height: Int, width: Int) -> (height: Int, width: Int) {
        var size = (height: height, width: width)
        for conv in convolutions where conv.pool { size = (size.height / 2, size.width / 2) }
        return size
    }

    /// He initialisation (normal, std sqrt(2 / fan_in)) drawn in tensor order from
    /// one seeded sequence, so a seed fixes every weight; biases start at 0.
    func initialParameters(seed: UInt64) -> [Float] {
        var random = SequentialRandom(seed: seed)
        var values = [Float](repeating: 0, count: parameterCount)
        for tensor in tensors where tensor.shape.count > 1 {
            let fanIn = tensor.shape.dropFirst().reduce(1, *)
            let std = (2.0 / Double(fanIn)).squareRoot()
            for i in tensor.range { values[i] = Float(random.gaussian() * std) }
        }
        return values
    }
}
