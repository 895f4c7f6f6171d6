/// The backbone's parameters in oneDNN memory: each kernel as read (plain),
/// plus copies in the formats the plans' convolutions asked for, made once
/// and shared by every plan that asks for the same format (in practice
/// every shape's plan picks the same ones).
final class BackboneWeights {
    private let engine: Engine
    private let stream: Stream
    private let plainKernels: [Memory]
    private let biases: [Memory]
    private var formatted: [[Memory]]

    init(layers: [BackboneConvolution], engine: Engine, stream: Stream) throws {
        self.engine = engine
        self.stream = stream
        plainKernels = try layers.map { layer in
            try Self.owned(layer.kernel, layout: try .plain(layer.kernelDims), engine: engine)
        }
        biases = try layers.map { try Self.owned($0.bias, layout: try .plain([$0.outputChannels]), engine: engine) }
        formatted = layers.map { _ in [] }
    }

    func bias(of layer: Int) -> Memory { biases[layer] }

    /// Layer `layer`'s kernel in `layout`, reordered from the plain kernel the first time it is asked for.
    func kernel(of layer: Int, in layout: Layout) throws -> Memory {
        if plainKernels[layer].layout.matches(layout) { return plainKernels[layer] }
        if let copy = formatted[layer].first(where: { $0.layout.matches(layout) }) { return copy }
        let copy = try Memory.allocated(layout, engine: engine)
        try Execution.reorder(plainKernels[layer], copy, engine: engine).run(on: stream)
        try stream.wait()
        formatted[layer].append(copy)
        return copy
    }

    /// A memory object with storage of its own holding `values`.
    private static func owned(_ values: [Float], layout: Layout, engine: Engine) throws -> Memory {
        let memory = try Memory.allocated(layout, engine: engine)
        values.withUnsafeBytes { memory.dataPointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return memory
    }
}
