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

extension Network {
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

    /// The gradients of the last backward pass, parallel to `flatParameters` (for tests).
    var flatGradients: [Float] { Array(gradients) }
}

extension Network {
    /// Sets the dense output's kernel and bias to 0, so that the network's
    /// own logit starts at 0 and its first score is the trees': training
    /// then adds what the trees miss (`model.trees`, docs/training.md).
    public func silenceOutput() {
        for range in [architecture.denseKernel.range, architecture.denseBias.range] {
            for i in range { parameters[i] = 0 }
        }
    }
}
