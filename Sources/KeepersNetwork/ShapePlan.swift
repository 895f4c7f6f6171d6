import CDNNL

// Shape legend: N batch, C channels, H height, W width. Convolution i maps
// x_i (N, Cin, H, W) to y_i = relu(conv(x_i)) (N, Cout, H, W); its optional
// max-pool maps y_i to z_i (N, Cout, H/2, W/2). The last stage's output F is
// reordered to plain NCHW for the Swift head (GAP, dense, loss).
//
// Backward trick: max-pool commutes with ReLU (both monotone), so
// pool(relu(y)) = relu(pool(y)). We mask the small pooled gradient with
// z > 0 and let pool-backward route it to the argmax, which is exactly the
// gradient with respect to the pre-activation. That skips the ReLU-backward
// pass over the large full-resolution tensors (the prototype's layer-1 cost).

/// One primitive call with its arguments fixed at plan time.
struct Execution {
    let primitive: Primitive
    let arguments: [dnnl_exec_arg_t]

    init(_ primitive: Primitive, _ arguments: [(Int32, Memory)]) {
        self.primitive = primitive
        self.arguments = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
    }
}

/// Where a memory object's data lives; resolved just before each run because
/// arena slots can move when a larger shape arrives and the input pointer
/// changes every call. Byte offsets address one image of a batch.
enum Binding {
    case slot(Int, byteOffset: Int)
    case parameters(offset: Int)
    case gradients(offset: Int)
    case input(byteOffset: Int)
    case owned  // small weight copies in a primitive's preferred format
}

/// Everything oneDNN needs to run one input shape: primitives compiled once,
/// memory objects bound to shared arena slots.
final class ShapePlan {
    let batch: Int, height: Int, width: Int
    let training: Bool
    /// Plain (N, C, h, w) copy of the last stage's output, read by the Swift head.
    private(set) var featureSlot = 0
    let featureChannels: Int
    let featureHeight: Int, featureWidth: Int
    /// Plain (N, C, h, w) gradient with respect to F, written by the Swift head.
    var featureGradientSlot = 0

    private(set) var forward: [Execution] = []
    var backward: [Execution] = []
    private var bindings: [(memory: Memory, binding: Binding)] = []
    private var bindingOf: [ObjectIdentifier: Binding] = [:]
    private(set) var slotBytes: [Int] = []
    let engine: Engine
    /// How many leading stages run image by image: their tensors are the
    /// largest, and one image's worth stays in the L3 cache between the
    /// convolution and the pooling that reads it back (and likewise backward).
    private let splitStages: Int

    init(
        architecture: Architecture, batch: Int, height: Int, width: Int, training: Bool, engine: Engine,
        splitStages: Int
    ) throws {
        self.batch = batch
        self.height = height
        self.width = width
        self.training = training
        self.engine = engine
        self.splitStages = batch > 1 ? splitStages : 0
        let feature = architecture.featureSize(height: height, width: width)
        featureChannels = architecture.featureChannels
        featureHeight = feature.height
        featureWidth = feature.width
        guard feature.height > 0, feature.width > 0 else {
            throw NetworkError.invalidInput("\(height)x\(width) is too small for \(architecture.convolutions.count) layers")
        }
        try build(architecture)
    }

    /// Grows the arena's slots to what this shape needs.
    func reserve(in arena: Arena) {
        for (slot, bytes) in slotBytes.enumerated() { arena.reserve(slot: slot, bytes: bytes) }
    }

    func bind(arena: Arena, parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>,
              input: UnsafePointer<Float>) throws {
        for (memory, binding) in bindings {
            switch binding {
            case let .slot(slot, byteOffset): try memory.bind(arena.pointer(slot: slot) + byteOffset)
            case let .parameters(offset): try memory.bind(parameters + offset)
            case let .gradients(offset): try memory.bind(gradients + offset)
            case let .input(byteOffset): try memory.bind(UnsafeMutableRawPointer(mutating: input) + byteOffset)
            case .owned: break
            }
        }
    }

    // MARK: Building

    /// One convolution (+ pool) as built: per-image memories when the stage is
    /// split (`parts` = N, descriptors for batch 1), else one of each.
    struct Stage {
        let parts: Int
        let convDescriptor: PrimitiveDescriptor
        let sources: [Memory]  // x_i in the convolution's format
        let reorderedSource: Bool  // a reorder sat between the previous output and x_i
        let weights: Memory  // forward format
        let convOutputs: [Memory]  // y_i; its slot holds dy_i in backward
        let pool: (descriptor: PrimitiveDescriptor, outputs: [Memory], workspaces: [Memory])?
        let output: Memory  // the whole batch's output: z_i, or y_i without pool
    }

    func newSlot(bytes: Int) -> Int {
        slotBytes.append(bytes)
        return slotBytes.count - 1
    }

    func memory(_ desc: dnnl_memory_desc_t, _ binding: Binding) throws -> Memory {
        let memory: Memory
        if case .owned = binding {
            memory = try Memory(desc, engine: engine, data: kp_dnnl_memory_allocate())
        } else {
            memory = try Memory(desc, engine: engine)
        }
        bindings.append((memory, binding))
        bindingOf[ObjectIdentifier(memory)] = binding
        return memory
    }

    /// `parts` memories of `desc` side by side in one new slot.
    func slotMemories(_ desc: dnnl_memory_desc_t, parts: Int = 1) throws -> [Memory] {
        let bytes = Layout.byteCount(desc)
        let slot = newSlot(bytes: bytes * parts)
        return try (0..<parts).map { try memory(desc, .slot(slot, byteOffset: $0 * bytes)) }
    }

    /// Image-sized views (layout `desc`, batch 1) of a whole-batch memory.
    func views(of whole: Memory, as desc: dnnl_memory_desc_t, parts: Int) throws -> [Memory] {
        guard parts > 1 else { return [whole] }
        let bytes = Layout.byteCount(desc)
        return try (0..<parts).map { part in
            switch bindingOf[ObjectIdentifier(whole)]! {
            case let .slot(slot, byteOffset): return try memory(desc, .slot(slot, byteOffset: byteOffset + part * bytes))
            case let .input(byteOffset): return try memory(desc, .input(byteOffset: byteOffset + part * bytes))
            default: throw DNNLError(call: "ShapePlan.views", status: "not an activation")
            }
        }
    }

    func reorder(_ source: Memory, _ destination: Memory, accumulate: Bool = false) throws -> Execution {
        let descriptor = try PrimitiveDescriptor(
            reorderFrom: source.desc, to: destination.desc, engine: engine,
            attributes: accumulate ? try .accumulate() : nil)
        return Execution(try Primitive(descriptor), [(DNNL_ARG_FROM, source), (DNNL_ARG_TO, destination)])
    }

    /// `desc` backed by `plain` when the layouts agree, else by a copy that
    /// `reorders` fills from `plain` at the start of each run.
    func weightsMemory(_ desc: dnnl_memory_desc_t, plain: Memory, into reorders: inout [Execution]) throws -> Memory {
        if Layout.same(desc, plain.desc) { return plain }
        let copy = try memory(desc, .owned)
        reorders.append(try reorder(plain, copy))
        return copy
    }

    private func build(_ architecture: Architecture) throws {
        let prop = training ? dnnl_forward_training : dnnl_forward_inference
        let relu = try PrimitiveAttributes.fusedReLU()
        var weightReorders: [Execution] = []
        var stages: [Stage] = []
        var current = try memory(Layout.plain([batch, Architecture.inputChannels, height, width]), .input(byteOffset: 0))
        var h = height, w = width

        for (index, conv) in architecture.convolutions.enumerated() {
            let (cin, cout) = (conv.inputChannels, conv.outputChannels)
            let parts = index < splitStages ? batch : 1
            let n = batch / parts
            let op = try Convolution.forward(prop, src: try Layout.any([n, cin, h, w]),
                                             kernel: try Layout.any([cout, cin, 3, 3]), bias: try Layout.plain([cout]),
                                             dst: try Layout.any([n, cout, h, w]))
            let convDescriptor = try PrimitiveDescriptor(op, attributes: relu, engine: engine)
            let convolution = try Primitive(convDescriptor)

            let sourceDesc = convDescriptor.memoryDesc(dnnl_query_src_md)
            let incoming = try views(of: current, as: try Layout.withBatch(current.desc, n), parts: parts)
            let reorderedSource = !Layout.same(sourceDesc, incoming[0].desc)
            let sources = reorderedSource ? try slotMemories(sourceDesc, parts: parts) : incoming
            let plainKernel = try memory(try Layout.plain([cout, cin, 3, 3]),
                                         .parameters(offset: architecture.kernel(ofConvolution: index).offset))
            let weights = try weightsMemory(convDescriptor.memoryDesc(dnnl_query_weights_md), plain: plainKernel,
                                            into: &weightReorders)
            let biasMemory = try memory(try Layout.plain([cout]),
                                        .parameters(offset: architecture.bias(ofConvolution: index).offset))
            let outputDesc = convDescriptor.memoryDesc(dnnl_query_dst_md)
            let convOutputs = try slotMemories(outputDesc, parts: parts)

            var pool: (descriptor: PrimitiveDescriptor, outputs: [Memory], workspaces: [Memory])?
            var pooling: Primitive?
            if conv.pool {
                h /= 2
                w /= 2
                var poolSrc = outputDesc
                var poolDst = try Layout.any([n, cout, h, w])
                var poolOp = dnnl_pooling_desc_t()
                try check(
                    dnnl_pooling_forward_desc_init(
                        &poolOp, prop, dnnl_pooling_max, &poolSrc, &poolDst, Layout.two, Layout.two,
                        Layout.zero, Layout.zero),
                    "pooling_forward_desc_init")
                let descriptor = try PrimitiveDescriptor(poolOp, engine: engine)
                pooling = try Primitive(descriptor)
                let outputs = try slotMemories(descriptor.memoryDesc(dnnl_query_dst_md), parts: parts)
                // The argmax positions, kept for backward.
                let workspaces = training
                    ? try slotMemories(descriptor.memoryDesc(dnnl_query_workspace_md), parts: parts) : []
                pool = (descriptor, outputs, workspaces)
            }

            // Image by image when split, so each image's y_i is pooled while cached.
            for part in 0..<parts {
                if reorderedSource { forward.append(try reorder(incoming[part], sources[part])) }
                forward.append(Execution(convolution, [
                    (DNNL_ARG_SRC, sources[part]), (DNNL_ARG_WEIGHTS, weights), (DNNL_ARG_BIAS, biasMemory),
                    (DNNL_ARG_DST, convOutputs[part]),
                ]))
                if let pool, let pooling {
                    var arguments = [(DNNL_ARG_SRC, convOutputs[part]), (DNNL_ARG_DST, pool.outputs[part])]
                    if training { arguments.append((DNNL_ARG_WORKSPACE, pool.workspaces[part])) }
                    forward.append(Execution(pooling, arguments))
                }
            }
            let partOutput = pool?.outputs[0] ?? convOutputs[0]
            let output = parts == 1
                ? partOutput : try memory(try Layout.withBatch(partOutput.desc, batch), bindingOf[ObjectIdentifier(partOutput)]!)
            let stage = Stage(
                parts: parts, convDescriptor: convDescriptor, sources: sources, reorderedSource: reorderedSource,
                weights: weights, convOutputs: convOutputs, pool: pool, output: output)
            stages.append(stage)
            current = output
        }
        forward.insert(contentsOf: weightReorders, at: 0)

        // The Swift head reads F in plain NCHW.
        let plainFeature = try Layout.plain([batch, featureChannels, featureHeight, featureWidth])
        let feature = try slotMemories(plainFeature)[0]
        featureSlot = slotBytes.count - 1
        forward.append(try reorder(current, feature))

        if training { try buildBackward(architecture, stages: stages, plainFeature: plainFeature) }
    }

    // MARK: Running

    func runForward(on stream: Stream) throws {
        for execution in forward { try execution.primitive.execute(execution.arguments, on: stream) }
        try stream.wait()
    }

    func runBackward(on stream: Stream) throws {
        for execution in backward { try execution.primitive.execute(execution.arguments, on: stream) }
        try stream.wait()
    }

    /// Which kernel oneDNN picked for each step, for profiling and the bench.
    var implementations: [String] {
        (forward + backward).map { $0.primitive.descriptor.implementation }
    }
}
