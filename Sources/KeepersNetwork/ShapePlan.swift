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
/// changes every call.
enum Binding {
    case slot(Int)
    case parameters(offset: Int)
    case gradients(offset: Int)
    case input
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
    private(set) var featureGradientSlot = 0

    private(set) var forward: [Execution] = []
    private(set) var backward: [Execution] = []
    private var bindings: [(memory: Memory, binding: Binding)] = []
    private var slotCount = 0
    private var slotBytes: [Int] = []
    private let engine: Engine

    init(architecture: Architecture, batch: Int, height: Int, width: Int, training: Bool, engine: Engine) throws {
        self.batch = batch
        self.height = height
        self.width = width
        self.training = training
        self.engine = engine
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
            case let .slot(slot): try memory.bind(arena.pointer(slot: slot))
            case let .parameters(offset): try memory.bind(parameters + offset)
            case let .gradients(offset): try memory.bind(gradients + offset)
            case .input: try memory.bind(UnsafeMutableRawPointer(mutating: input))
            case .owned: break
            }
        }
    }

    // MARK: Building

    private struct Stage {
        let convDescriptor: PrimitiveDescriptor
        let source: Memory  // x_i in the convolution's format
        let sourceSlotFromPrevious: Memory?  // previous output, when a reorder sat between
        let weights: Memory  // forward format
        let convOutput: Memory  // y_i
        let convOutputSlot: Int
        let pool: (descriptor: PrimitiveDescriptor, output: Memory, workspace: Memory?)?
        var output: Memory { pool?.output ?? convOutput }
    }

    private func newSlot(bytes: Int) -> Int {
        slotBytes.append(bytes)
        return slotBytes.count - 1
    }

    private func memory(_ desc: dnnl_memory_desc_t, _ binding: Binding) throws -> Memory {
        let memory: Memory
        if case .owned = binding {
            memory = try Memory(desc, engine: engine, data: kp_dnnl_memory_allocate())
        } else {
            memory = try Memory(desc, engine: engine)
        }
        bindings.append((memory, binding))
        return memory
    }

    private func slotMemory(_ desc: dnnl_memory_desc_t, slot: Int? = nil) throws -> Memory {
        let slot = slot ?? newSlot(bytes: Layout.byteCount(desc))
        return try memory(desc, .slot(slot))
    }

    private func reorder(_ source: Memory, _ destination: Memory) throws -> Execution {
        let descriptor = try PrimitiveDescriptor(reorderFrom: source.desc, to: destination.desc, engine: engine)
        return Execution(try Primitive(descriptor), [(DNNL_ARG_FROM, source), (DNNL_ARG_TO, destination)])
    }

    /// `desc` backed by `plain` when the layouts agree, else by a copy that
    /// `reorders` fills from `plain` at the start of each run.
    private func weightsMemory(_ desc: dnnl_memory_desc_t, plain: Memory, into reorders: inout [Execution]) throws -> Memory {
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
        var current = try memory(Layout.plain([batch, Architecture.inputChannels, height, width]), .input)
        var h = height, w = width

        for (index, conv) in architecture.convolutions.enumerated() {
            let (cin, cout) = (conv.inputChannels, conv.outputChannels)
            var src = try Layout.any([batch, cin, h, w])
            var kernel = try Layout.any([cout, cin, 3, 3])
            var bias = try Layout.plain([cout])
            var dst = try Layout.any([batch, cout, h, w])
            var op = dnnl_convolution_desc_t()
            try check(
                dnnl_convolution_forward_desc_init(
                    &op, prop, dnnl_convolution_direct, &src, &kernel, &bias, &dst,
                    Layout.one, Layout.one, Layout.one),
                "convolution_forward_desc_init")
            let convDescriptor = try PrimitiveDescriptor(op, attributes: relu, engine: engine)

            let sourceDesc = convDescriptor.memoryDesc(dnnl_query_src_md)
            var source = current
            var previous: Memory?
            if !Layout.same(sourceDesc, current.desc) {
                source = try slotMemory(sourceDesc)
                forward.append(try reorder(current, source))
                previous = current
            }
            let plainKernel = try memory(try Layout.plain([cout, cin, 3, 3]),
                                         .parameters(offset: architecture.kernel(ofConvolution: index).offset))
            let weights = try weightsMemory(convDescriptor.memoryDesc(dnnl_query_weights_md), plain: plainKernel,
                                            into: &weightReorders)
            let biasMemory = try memory(try Layout.plain([cout]),
                                        .parameters(offset: architecture.bias(ofConvolution: index).offset))
            let outputDesc = convDescriptor.memoryDesc(dnnl_query_dst_md)
            let outputSlot = newSlot(bytes: Layout.byteCount(outputDesc))
            let convOutput = try slotMemory(outputDesc, slot: outputSlot)
            forward.append(Execution(try Primitive(convDescriptor), [
                (DNNL_ARG_SRC, source), (DNNL_ARG_WEIGHTS, weights), (DNNL_ARG_BIAS, biasMemory),
                (DNNL_ARG_DST, convOutput),
            ]))

            var pool: (descriptor: PrimitiveDescriptor, output: Memory, workspace: Memory?)?
            if conv.pool {
                h /= 2
                w /= 2
                var poolSrc = outputDesc
                var poolDst = try Layout.any([batch, cout, h, w])
                var poolOp = dnnl_pooling_desc_t()
                try check(
                    dnnl_pooling_forward_desc_init(
                        &poolOp, prop, dnnl_pooling_max, &poolSrc, &poolDst, Layout.two, Layout.two,
                        Layout.zero, Layout.zero),
                    "pooling_forward_desc_init")
                let poolDescriptor = try PrimitiveDescriptor(poolOp, engine: engine)
                let pooled = try slotMemory(poolDescriptor.memoryDesc(dnnl_query_dst_md))
                var arguments = [(DNNL_ARG_SRC, convOutput), (DNNL_ARG_DST, pooled)]
                var workspace: Memory?  // the argmax positions, kept for backward
                if training {
                    let argmax = try slotMemory(poolDescriptor.memoryDesc(dnnl_query_workspace_md))
                    arguments.append((DNNL_ARG_WORKSPACE, argmax))
                    workspace = argmax
                }
                forward.append(Execution(try Primitive(poolDescriptor), arguments))
                pool = (poolDescriptor, pooled, workspace)
            }
            let stage = Stage(
                convDescriptor: convDescriptor, source: source, sourceSlotFromPrevious: previous, weights: weights,
                convOutput: convOutput, convOutputSlot: outputSlot, pool: pool)
            stages.append(stage)
            current = stage.output
        }
        forward.insert(contentsOf: weightReorders, at: 0)

        // The Swift head reads F in plain NCHW.
        let plainFeature = try Layout.plain([batch, featureChannels, featureHeight, featureWidth])
        featureSlot = newSlot(bytes: Layout.byteCount(plainFeature))
        forward.append(try reorder(current, try slotMemory(plainFeature, slot: featureSlot)))

        if training { try buildBackward(architecture, stages: stages, plainFeature: plainFeature) }
    }

    private func buildBackward(_ architecture: Architecture, stages: [Stage], plainFeature: dnnl_memory_desc_t) throws {
        featureGradientSlot = newSlot(bytes: Layout.byteCount(plainFeature))
        let featureGradient = try slotMemory(plainFeature, slot: featureGradientSlot)
        // Gradient with respect to the last output, already ReLU-masked by the head.
        var outputGradient = featureGradient
        if !Layout.same(plainFeature, stages.last!.output.desc) {
            outputGradient = try slotMemory(stages.last!.output.desc)
            backward.append(try reorder(featureGradient, outputGradient))
        }
        var weightReorders: [Execution] = []

        for (index, stage) in stages.enumerated().reversed() {
            let conv = architecture.convolutions[index]
            // Gradient with respect to the pre-activation of conv i (N, Cout, H, W),
            // in the slot y_i used: y_i is dead once pooled.
            var convGradient = outputGradient
            if let pool = stage.pool {
                var diffSrc = stage.convOutput.desc
                var diffDst = pool.output.desc
                var op = dnnl_pooling_desc_t()
                try check(
                    dnnl_pooling_backward_desc_init(
                        &op, dnnl_pooling_max, &diffSrc, &diffDst, Layout.two, Layout.two, Layout.zero, Layout.zero),
                    "pooling_backward_desc_init")
                let descriptor = try PrimitiveDescriptor(op, engine: engine, hint: pool.descriptor)
                convGradient = try slotMemory(stage.convOutput.desc, slot: stage.convOutputSlot)
                backward.append(Execution(try Primitive(descriptor), [
                    (DNNL_ARG_DIFF_DST, outputGradient), (DNNL_ARG_WORKSPACE, pool.workspace!),
                    (DNNL_ARG_DIFF_SRC, convGradient),
                ]))
            }

            // Weights and bias gradients, written straight into the flat gradient vector.
            var src = stage.source.desc
            var diffKernel = try Layout.any([conv.outputChannels, conv.inputChannels, 3, 3])
            var diffBias = try Layout.plain([conv.outputChannels])
            var diffDst = convGradient.desc
            var weightsOp = dnnl_convolution_desc_t()
            try check(
                dnnl_convolution_backward_weights_desc_init(
                    &weightsOp, dnnl_convolution_direct, &src, &diffKernel, &diffBias, &diffDst,
                    Layout.one, Layout.one, Layout.one),
                "convolution_backward_weights_desc_init")
            let weightsDescriptor = try PrimitiveDescriptor(weightsOp, engine: engine, hint: stage.convDescriptor)
            let plainKernelGradient = try memory(try Layout.plain([conv.outputChannels, conv.inputChannels, 3, 3]),
                                                 .gradients(offset: architecture.kernel(ofConvolution: index).offset))
            let kernelGradientDesc = weightsDescriptor.memoryDesc(dnnl_query_diff_weights_md)
            var kernelGradient = plainKernelGradient
            if !Layout.same(kernelGradientDesc, plainKernelGradient.desc) {
                kernelGradient = try memory(kernelGradientDesc, .owned)
            }
            let biasGradient = try memory(diffBias, .gradients(offset: architecture.bias(ofConvolution: index).offset))
            backward.append(Execution(try Primitive(weightsDescriptor), [
                (DNNL_ARG_SRC, stage.source), (DNNL_ARG_DIFF_DST, convGradient),
                (DNNL_ARG_DIFF_WEIGHTS, kernelGradient), (DNNL_ARG_DIFF_BIAS, biasGradient),
            ]))
            if kernelGradient !== plainKernelGradient {
                backward.append(try reorder(kernelGradient, plainKernelGradient))
            }

            guard index > 0 else { break }  // nobody needs the gradient of the input image
            var diffSrc = stage.source.desc
            var kernel = try Layout.any([conv.outputChannels, conv.inputChannels, 3, 3])
            var dataOp = dnnl_convolution_desc_t()
            try check(
                dnnl_convolution_backward_data_desc_init(
                    &dataOp, dnnl_convolution_direct, &diffSrc, &kernel, &diffDst, Layout.one, Layout.one, Layout.one),
                "convolution_backward_data_desc_init")
            let dataDescriptor = try PrimitiveDescriptor(dataOp, engine: engine, hint: stage.convDescriptor)
            let kernelDesc = dataDescriptor.memoryDesc(dnnl_query_weights_md)
            let weights: Memory
            if Layout.same(kernelDesc, stage.weights.desc) {
                weights = stage.weights
            } else {
                let plainKernel = try memory(try Layout.plain([conv.outputChannels, conv.inputChannels, 3, 3]),
                                             .parameters(offset: architecture.kernel(ofConvolution: index).offset))
                weights = try weightsMemory(kernelDesc, plain: plainKernel, into: &weightReorders)
            }
            var sourceGradient = try slotMemory(stage.source.desc)
            backward.append(Execution(try Primitive(dataDescriptor), [
                (DNNL_ARG_DIFF_DST, convGradient), (DNNL_ARG_WEIGHTS, weights), (DNNL_ARG_DIFF_SRC, sourceGradient),
            ]))
            let previousOutput = stages[index - 1].output
            if stage.sourceSlotFromPrevious != nil {
                let reordered = try slotMemory(previousOutput.desc)
                backward.append(try reorder(sourceGradient, reordered))
                sourceGradient = reordered
            }
            // Mask with z > 0 (ReLU backward on the small pooled tensor, in place).
            backward.append(try reluMask(gradient: sourceGradient, output: previousOutput))
            outputGradient = sourceGradient
        }
        backward.insert(contentsOf: weightReorders, at: 0)
    }

    private func reluMask(gradient: Memory, output: Memory) throws -> Execution {
        var data = output.desc
        var forwardOp = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_forward_desc_init(&forwardOp, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, &data, 0, 0),
            "eltwise_forward_desc_init")
        let hint = try PrimitiveDescriptor(forwardOp, engine: engine)
        var diff = gradient.desc
        var op = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_backward_desc_init(&op, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &data, 0, 0),
            "eltwise_backward_desc_init")
        let descriptor = try PrimitiveDescriptor(op, engine: engine, hint: hint)
        return Execution(try Primitive(descriptor), [
            (DNNL_ARG_DST, output), (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_SRC, gradient),
        ])
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
