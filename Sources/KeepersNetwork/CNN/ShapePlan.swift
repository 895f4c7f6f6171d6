/// The convolution stages of the network for one input shape, as oneDNN
/// calls: the layers (Layers.swift) compiled once, their tensors bound to
/// shared arena slots (PlanMemory), and the calls in order. Stage i is
/// convolution i with its ReLU and optional max-pool:
/// x_i (N, Cin, H, W) -> y_i = relu(conv(x_i)) (N, Cout, H, W) -> z_i (N, Cout, H/2, W/2).
/// The last stage's output F is reordered to plain NCHW for the Swift head.
/// What is not maths here is logistics: oneDNN picks blocked formats, so
/// tensors are reordered where two layers disagree, and the first stages run
/// image by image (see `splitStages`).
final class ShapePlan {
    let batch: Int, height: Int, width: Int
    let training: Bool
    let featureChannels: Int
    let featureHeight: Int, featureWidth: Int
    /// F in plain (N, C, h, w), read by the Swift head.
    private(set) var featureSlot = 0
    /// dF in plain (N, C, h, w), written by the Swift head.
    var featureGradientSlot = 0

    private(set) var forward: [Execution] = []
    var backward: [Execution] = []
    let memory: PlanMemory
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
        memory = PlanMemory(engine: engine)
        self.splitStages = batch > 1 ? splitStages : 0
        let feature = architecture.featureSize(height: height, width: width)
        featureChannels = architecture.featureChannels
        featureHeight = feature.height
        featureWidth = feature.width
        guard feature.height > 0, feature.width > 0 else {
            throw NetworkError.invalidInput("\(height)x\(width) is too small for \(architecture.convolutions.count) layers")
        }
        let stages = try buildForward(architecture)
        if training { try buildBackward(architecture, stages: stages) }
    }

    /// One stage as planned. Tensors are per part: one per image when the
    /// stage runs image by image (n = 1), else one for the batch (n = N).
    struct Stage {
        let convolution: ConvolutionLayer
        let pool: MaxPoolLayer?
        let parts: Int
        let incoming: [Memory]  // (n, Cin, H, W): the previous stage's output, or the input image
        let x: [Memory]  // (n, Cin, H, W) in the convolution's format: `incoming`, or a reordered copy
        let kernel: Memory  // (Cout, Cin, 3, 3) in the convolution's format
        let bias: Memory  // (Cout)
        let y: [Memory]  // (n, Cout, H, W); its slot holds dy in backward
        let z: [Memory]  // (n, Cout, H/2, W/2), the pool's output; empty without a pool
        let workspaces: [Memory]  // each pool window's argmax; training only
        let output: Memory  // (N, Cout, h, w): z, or y without a pool, for the whole batch
        var reordersInput: Bool { x[0] !== incoming[0] }
    }

    // MARK: Forward

    private func buildForward(_ architecture: Architecture) throws -> [Stage] {
        var weightReorders: [Execution] = []
        var stages: [Stage] = []
        let image = try Layout.plain([batch, Architecture.inputChannels, height, width])
        var current = try memory.memory(image, .input(byteOffset: 0))
        var (h, w) = (height, width)
        for index in architecture.convolutions.indices {
            let stage = try planStage(index, architecture, input: current, height: h, width: w,
                                      weightReorders: &weightReorders)
            // Image by image when split, so each image's y_i is pooled while cached.
            for part in 0..<stage.parts {
                if stage.reordersInput { forward.append(try memory.reorder(stage.incoming[part], stage.x[part])) }
                forward.append(stage.convolution.forward(x: stage.x[part], kernel: stage.kernel, bias: stage.bias,
                                                         y: stage.y[part]))
                if let pool = stage.pool {
                    forward.append(pool.forward(y: stage.y[part], z: stage.z[part],
                                                workspace: training ? stage.workspaces[part] : nil))
                }
            }
            if stage.pool != nil { (h, w) = (h / 2, w / 2) }
            stages.append(stage)
            current = stage.output
        }
        forward.insert(contentsOf: weightReorders, at: 0)

        // The Swift head reads F in plain NCHW.
        let feature = try memory.slot(try featureLayout())[0]
        featureSlot = memory.slotBytes.count - 1
        forward.append(try memory.reorder(current, feature))
        return stages
    }

    /// Convolution `index`'s layers, and its tensors in arena slots and the
    /// parameter vector, for `input` (N, Cin, height, width).
    private func planStage(
        _ index: Int, _ architecture: Architecture, input: Memory, height h: Int, width w: Int,
        weightReorders: inout [Execution]
    ) throws -> Stage {
        let spec = architecture.convolutions[index]
        let parts = index < splitStages ? batch : 1
        let n = batch / parts
        let convolution = try ConvolutionLayer(
            batch: n, inputChannels: spec.inputChannels, outputChannels: spec.outputChannels, height: h, width: w,
            formats: .chosen, training: training, inputGradient: index > 0, engine: memory.engine)
        let incoming = try memory.views(of: input, as: try input.layout.withBatch(n), parts: parts)
        // Inference keeps nothing for a backward pass: an image-by-image
        // stage's reordered input and convolution output are read once, by
        // its own convolution and pooling, before the next image is written,
        // so its images take turns in one image's worth of memory (the
        // first stage's output is the largest tensor: a batch of four
        // 480x720 portraits holds 88 MB of it).
        let turns = !training && parts > 1 && spec.pool
        let slot = { (layout: Layout) in turns ? try self.memory.sharedSlot(layout, parts: parts)
                                               : try self.memory.slot(layout, parts: parts) }
        let x = convolution.x.matches(incoming[0].layout) ? incoming : try slot(convolution.x)
        let kernel = try memory.parameters(
            convolution.kernel, plain: try .plain([spec.outputChannels, spec.inputChannels, 3, 3]),
            offset: architecture.kernel(ofConvolution: index).offset, reorders: &weightReorders)
        let bias = try memory.memory(convolution.bias, .parameters(offset: architecture.bias(ofConvolution: index).offset))
        let y = try slot(convolution.y)
        var pool: MaxPoolLayer?, z: [Memory] = [], workspaces: [Memory] = []
        if spec.pool {
            pool = try MaxPoolLayer(y: convolution.y, formats: .chosen, training: training, engine: memory.engine)
            z = try memory.slot(pool!.z, parts: parts)
            if let workspace = pool!.workspace { workspaces = try memory.slot(workspace, parts: parts) }
        }
        return Stage(convolution: convolution, pool: pool, parts: parts, incoming: incoming, x: x, kernel: kernel,
                     bias: bias, y: y, z: z, workspaces: workspaces,
                     output: try memory.wholeBatch(spec.pool ? z : y, batch: batch))
    }

    /// F and dF as the Swift head reads and writes them: plain (N, C, h, w).
    func featureLayout() throws -> Layout { try .plain([batch, featureChannels, featureHeight, featureWidth]) }

    // MARK: Running

    /// Grows the arena's slots to what this shape needs.
    func reserve(in arena: Arena) { memory.reserve(in: arena) }

    func bind(arena: Arena, parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>,
              input: UnsafePointer<Float>) throws {
        try memory.bind(arena: arena, parameters: parameters, gradients: gradients, input: input)
    }

    func runForward(on stream: Stream) throws {
        for execution in forward { try execution.run(on: stream) }
        try stream.wait()
    }

    func runBackward(on stream: Stream) throws {
        for execution in backward { try execution.run(on: stream) }
        try stream.wait()
    }

    /// Which kernel oneDNN picked for each call, for profiling and the bench.
    var implementations: [String] {
        (forward + backward).map { $0.primitive.descriptor.implementation }
    }
}

/// The plans of the shapes used most recently, at most `limit` of them: a
/// plan holds oneDNN primitives (JIT-compiled code) and their memory
/// objects, so an archive of crops and panoramas, with one shape per photo,
/// would otherwise keep one plan per shape for the whole run. The least
/// recently used plan goes first; a shape met again after its plan went is
/// planned again (the same primitives, the same results: a plan holds no
/// state between runs, its activations live in the network's arena).
struct PlanCache<Key: Hashable> {
    /// Shapes kept; at least 1.
    var limit: Int {
        didSet { trim() }
    }
    private var plans: [Key: (plan: ShapePlan, used: Int)] = [:]
    private var clock = 0

    init(limit: Int) { self.limit = limit }

    var count: Int { plans.count }

    /// The plan for `key`, marked as just used; nil when there is none.
    mutating func plan(_ key: Key) -> ShapePlan? {
        guard let entry = plans[key] else { return nil }
        clock += 1
        plans[key] = (entry.plan, clock)
        return entry.plan
    }

    /// The plan for `key` without marking it used.
    func peek(_ key: Key) -> ShapePlan? { plans[key]?.plan }

    /// Keeps `plan` for `key`, dropping the least recently used beyond the limit.
    mutating func insert(_ plan: ShapePlan, for key: Key) {
        clock += 1
        plans[key] = (plan, clock)
        trim()
    }

    private mutating func trim() {
        while plans.count > max(1, limit), let oldest = plans.min(by: { $0.value.used < $1.value.used })?.key {
            plans[oldest] = nil
        }
    }
}
