/// The backbone's oneDNN calls for one input shape (one image of H x W):
/// each convolution compiled once, its weights reordered once into the
/// format it asked for, and its activations in a few reused buffers.
/// Inference only, so a tensor's buffer is free again once its last reader
/// (the next layer, or the residual add of its block) has run: the plan
/// holds about three activations at a time, not one per layer.
final class BackbonePlan {
    let height: Int, width: Int
    /// The image, plain (1, 3, H, W); bound to the caller's pointer per run.
    private let input: Memory
    /// The pooled features, plain (1, C, 1, 1); bound to the caller's output per run.
    private let output: Memory
    private var calls: [Execution] = []
    private var buffers: [UnsafeMutableRawPointer] = []
    /// Bytes held by this plan's activation buffers.
    private(set) var activationBytes = 0

    init(layers: [BackboneConvolution], weights: BackboneWeights, height: Int, width: Int, engine: Engine) throws {
        self.height = height
        self.width = width
        input = try Memory(try .plain([1, layers[0].inputChannels, height, width]), engine: engine, data: nil)
        var allocator = BufferAllocator()
        // Which layer reads each layer's input last: itself, or a later layer's residual add.
        var lastReader = Array(layers.indices)
        for (index, layer) in layers.enumerated() { if let residual = layer.residual { lastReader[residual] = index } }

        // tensors[i]: the input of layer i (tensors[0] is the image), as memory and its buffer.
        var tensors: [(memory: Memory, buffer: Int?)] = [(input, nil)]
        var (h, w) = (height, width)
        for (index, layer) in layers.enumerated() {
            let size = layer.outputSize(height: h, width: w)
            guard size.height > 0, size.width > 0 else {
                throw NetworkError.invalidInput("\(height)x\(width) is too small for the backbone (layer \(index))")
            }
            let incoming = tensors[index]
            let residual = layer.residual.map { tensors[$0] }
            let descriptor = try Self.describe(layer, source: incoming.memory.layout, residual: residual?.memory.layout,
                                               outputDims: [1, layer.outputChannels, size.height, size.width],
                                               engine: engine)
            let sourceLayout = descriptor.layout(of: .source)
            var source = incoming.memory
            var copy: Int?
            if !sourceLayout.matches(source.layout) {
                copy = allocator.take(bytes: sourceLayout.byteCount)
                source = try allocator.memory(sourceLayout, buffer: copy!, engine: engine)
                calls.append(try .reorder(incoming.memory, source, engine: engine))
            }
            let destinationLayout = descriptor.layout(of: .destination)
            let destinationBuffer = allocator.take(bytes: destinationLayout.byteCount)
            let destination = try allocator.memory(destinationLayout, buffer: destinationBuffer, engine: engine)
            let kernel = try weights.kernel(of: index, in: descriptor.layout(of: .weights))
            calls.append(Execution(try Primitive(descriptor), [(.source, source), (.weights, kernel),
                                                               (.bias, weights.bias(of: index)), (.destination, destination)]))
            if let residual {
                var addend = residual.memory, addendCopy: Int?
                if !addend.layout.matches(destinationLayout) {  // only when oneDNN refused the residual's format
                    addendCopy = allocator.take(bytes: destinationLayout.byteCount)
                    addend = try allocator.memory(destinationLayout, buffer: addendCopy!, engine: engine)
                    calls.append(try .reorder(residual.memory, addend, engine: engine))
                }
                let add = try PrimitiveDescriptor.add(destinationLayout, engine: engine)
                calls.append(Execution(try Primitive(add), [(.source, destination), (.source1, addend),
                                                            (.destination, destination)]))
                if let addendCopy { allocator.release(addendCopy) }
            }
            if let copy { allocator.release(copy) }
            // Free every tensor whose last reader was this layer.
            for (tensor, reader) in lastReader.enumerated() where reader == index {
                if let buffer = tensors[tensor].buffer { allocator.release(buffer) }
            }
            tensors.append((destination, destinationBuffer))
            (h, w) = size
        }

        let last = tensors[layers.count].memory
        let pool = try PrimitiveDescriptor.globalAveragePool(source: last.layout, height: h, width: w, engine: engine)
        let pooledLayout = pool.layout(of: .destination)
        let pooled = try allocator.memory(pooledLayout, buffer: allocator.take(bytes: pooledLayout.byteCount),
                                          engine: engine)
        calls.append(Execution(try Primitive(pool), [(.source, last), (.destination, pooled)]))
        output = try Memory(try .plain([1, layers.last!.outputChannels, 1, 1]), engine: engine, data: nil)
        calls.append(try .reorder(pooled, output, engine: engine))

        buffers = allocator.bytes.map { UnsafeMutableRawPointer.allocate(byteCount: max($0, 64), alignment: 64) }
        activationBytes = allocator.bytes.reduce(0, +)
        for (memory, buffer) in allocator.bound { try memory.bind(buffers[buffer]) }
    }

    /// The layer's convolution reading `source` as it is when oneDNN can
    /// (no reorder between layers), writing where the residual lives in the
    /// residual's format (so the add is one pass over matching layouts).
    private static func describe(_ layer: BackboneConvolution, source: Layout, residual: Layout?, outputDims: [Int],
                                 engine: Engine) throws -> PrimitiveDescriptor {
        let destination = try residual ?? .any(outputDims)
        if let fitted = try? PrimitiveDescriptor.backboneConvolution(layer, source: source, destination: destination,
                                                                      engine: engine) {
            return fitted
        }
        return try .backboneConvolution(layer, source: try .any(source.dims), destination: try .any(outputDims),
                                        engine: engine)
    }

    /// Features of one image: `image` plain (3, H, W), `features` (C).
    func run(image: UnsafePointer<Float>, features: UnsafeMutablePointer<Float>, on stream: Stream) throws {
        try input.bind(UnsafeMutableRawPointer(mutating: image))
        try output.bind(features)
        for call in calls { try call.run(on: stream) }
        try stream.wait()
    }

    deinit { for buffer in buffers { buffer.deallocate() } }
}

/// Hands out activation buffers by index, reusing released ones; sizes grow
/// to the largest tensor each buffer ever holds. Memory objects are created
/// unbound and bound once the sizes are final.
private struct BufferAllocator {
    private(set) var bytes: [Int] = []
    private var free: [Int] = []
    private(set) var bound: [(Memory, Int)] = []

    mutating func take(bytes needed: Int) -> Int {
        // The free buffer closest in size, so big buffers stay for big tensors.
        if let best = free.indices.min(by: { abs(bytes[free[$0]] - needed) < abs(bytes[free[$1]] - needed) }) {
            let buffer = free.remove(at: best)
            bytes[buffer] = max(bytes[buffer], needed)
            return buffer
        }
        bytes.append(needed)
        return bytes.count - 1
    }

    mutating func release(_ buffer: Int) { free.append(buffer) }

    mutating func memory(_ layout: Layout, buffer: Int, engine: Engine) throws -> Memory {
        let memory = try Memory(layout, engine: engine, data: nil)
        bound.append((memory, buffer))
        return memory
    }
}
