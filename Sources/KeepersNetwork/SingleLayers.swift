import CDNNL

/// The oneDNN layers a ShapePlan chains, run one at a time on plain NCHW
/// arrays, so tests can check each backward against finite differences.
/// Shapes: x (N, Cin, H, W), kernel (Cout, Cin, 3, 3), y (N, Cout, H, W).
final class SingleLayers {
    private let engine: Engine
    private let stream: Stream

    init() throws {
        engine = try Engine()
        stream = try Stream(engine: engine)
    }

    /// A heap copy of some floats (or zeroed bytes) that a memory object can point at.
    private final class Buffer {
        let data: UnsafeMutableRawPointer
        let byteCount: Int
        init(_ values: [Float]) {
            byteCount = max(4 * values.count, 4)
            data = .allocate(byteCount: byteCount, alignment: 64)
            values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        init(bytes: Int) {
            byteCount = max(bytes, 4)
            data = .allocate(byteCount: byteCount, alignment: 64)
            data.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        }
        var floats: [Float] { Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: byteCount / 4)) }
        deinit { data.deallocate() }
    }

    private func run(_ descriptor: PrimitiveDescriptor, _ arguments: [(Int32, dnnl_memory_desc_t, Buffer)]) throws {
        let memories = try arguments.map { try Memory($0.1, engine: engine, data: $0.2.data) }
        let execution = Execution(try Primitive(descriptor), zip(arguments, memories).map { ($0.0.0, $0.1) })
        try execution.primitive.execute(execution.arguments, on: stream)
        try stream.wait()
    }

    private func convolutionForwardDescriptor(
        n: Int, cin: Int, cout: Int, h: Int, w: Int, relu: Bool
    ) throws -> PrimitiveDescriptor {
        let op = try Convolution.forward(
            dnnl_forward_training, src: try Layout.plain([n, cin, h, w]), kernel: try Layout.plain([cout, cin, 3, 3]),
            bias: try Layout.plain([cout]), dst: try Layout.plain([n, cout, h, w]))
        return try PrimitiveDescriptor(op, attributes: relu ? try .fusedReLU() : nil, engine: engine)
    }

    /// y = conv(x) + bias, followed by ReLU when `relu` (the fused post-op).
    func convolutionForward(
        x: [Float], kernel: [Float], bias: [Float], n: Int, cin: Int, cout: Int, h: Int, w: Int, relu: Bool
    ) throws -> [Float] {
        let descriptor = try convolutionForwardDescriptor(n: n, cin: cin, cout: cout, h: h, w: w, relu: relu)
        let y = Buffer(bytes: 4 * n * cout * h * w)
        try run(descriptor, [
            (DNNL_ARG_SRC, try Layout.plain([n, cin, h, w]), Buffer(x)),
            (DNNL_ARG_WEIGHTS, try Layout.plain([cout, cin, 3, 3]), Buffer(kernel)),
            (DNNL_ARG_BIAS, try Layout.plain([cout]), Buffer(bias)),
            (DNNL_ARG_DST, try Layout.plain([n, cout, h, w]), y),
        ])
        return y.floats
    }

    /// dx, dkernel, dbias from dy for the convolution (without ReLU).
    func convolutionBackward(
        x: [Float], kernel: [Float], dy: [Float], n: Int, cin: Int, cout: Int, h: Int, w: Int
    ) throws -> (dx: [Float], dkernel: [Float], dbias: [Float]) {
        let hint = try convolutionForwardDescriptor(n: n, cin: cin, cout: cout, h: h, w: w, relu: false)
        let src = try Layout.plain([n, cin, h, w]), weights = try Layout.plain([cout, cin, 3, 3])
        let bias = try Layout.plain([cout]), dst = try Layout.plain([n, cout, h, w])
        let dataOp = try Convolution.backwardData(diffSrc: src, kernel: weights, diffDst: dst)
        let weightsOp = try Convolution.backwardWeights(src: src, diffKernel: weights, diffBias: bias, diffDst: dst)
        let dx = Buffer(bytes: 4 * x.count), dkernel = Buffer(bytes: 4 * kernel.count), dbias = Buffer(bytes: 4 * cout)
        let dyBuffer = Buffer(dy)
        try run(try PrimitiveDescriptor(dataOp, engine: engine, hint: hint), [
            (DNNL_ARG_DIFF_DST, dst, dyBuffer), (DNNL_ARG_WEIGHTS, weights, Buffer(kernel)), (DNNL_ARG_DIFF_SRC, src, dx),
        ])
        try run(try PrimitiveDescriptor(weightsOp, engine: engine, hint: hint), [
            (DNNL_ARG_SRC, src, Buffer(x)), (DNNL_ARG_DIFF_DST, dst, dyBuffer),
            (DNNL_ARG_DIFF_WEIGHTS, weights, dkernel), (DNNL_ARG_DIFF_BIAS, bias, dbias),
        ])
        return (dx.floats, dkernel.floats, dbias.floats)
    }

    private func reluForwardDescriptor(_ data: dnnl_memory_desc_t) throws -> PrimitiveDescriptor {
        var data = data
        var op = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_forward_desc_init(&op, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, &data, 0, 0),
            "eltwise_forward_desc_init")
        return try PrimitiveDescriptor(op, engine: engine)
    }

    func reluForward(_ x: [Float]) throws -> [Float] {
        let data = try Layout.plain([x.count])
        let y = Buffer(bytes: 4 * x.count)
        try run(try reluForwardDescriptor(data), [(DNNL_ARG_SRC, data, Buffer(x)), (DNNL_ARG_DST, data, y)])
        return y.floats
    }

    /// dx from dy and y = relu(x), the variant the plans use (ReLU is fused, so
    /// only its output exists).
    func reluBackward(y: [Float], dy: [Float]) throws -> [Float] {
        var data = try Layout.plain([y.count])
        var diff = data
        var op = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_backward_desc_init(&op, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &data, 0, 0),
            "eltwise_backward_desc_init")
        let descriptor = try PrimitiveDescriptor(op, engine: engine, hint: try reluForwardDescriptor(data))
        let dx = Buffer(bytes: 4 * y.count)
        try run(descriptor, [(DNNL_ARG_DST, data, Buffer(y)), (DNNL_ARG_DIFF_DST, data, Buffer(dy)), (DNNL_ARG_DIFF_SRC, data, dx)])
        return dx.floats
    }

    private func poolDescriptors(n: Int, c: Int, h: Int, w: Int) throws -> (PrimitiveDescriptor, PrimitiveDescriptor) {
        var src = try Layout.plain([n, c, h, w]), dst = try Layout.plain([n, c, h / 2, w / 2])
        var forwardOp = dnnl_pooling_desc_t(), backwardOp = dnnl_pooling_desc_t()
        try check(
            dnnl_pooling_forward_desc_init(
                &forwardOp, dnnl_forward_training, dnnl_pooling_max, &src, &dst, Layout.two, Layout.two,
                Layout.zero, Layout.zero),
            "pooling_forward_desc_init")
        try check(
            dnnl_pooling_backward_desc_init(
                &backwardOp, dnnl_pooling_max, &src, &dst, Layout.two, Layout.two, Layout.zero, Layout.zero),
            "pooling_backward_desc_init")
        let forward = try PrimitiveDescriptor(forwardOp, engine: engine)
        return (forward, try PrimitiveDescriptor(backwardOp, engine: engine, hint: forward))
    }

    /// 2x2/2 max-pool forward then backward: y (N, C, H/2, W/2) and dx (N, C, H, W).
    func maxPool(x: [Float], dy: [Float], n: Int, c: Int, h: Int, w: Int) throws -> (y: [Float], dx: [Float]) {
        let (forward, backward) = try poolDescriptors(n: n, c: c, h: h, w: w)
        let src = try Layout.plain([n, c, h, w]), dst = try Layout.plain([n, c, h / 2, w / 2])
        let workspaceDesc = forward.memoryDesc(dnnl_query_workspace_md)
        let workspace = Buffer(bytes: Layout.byteCount(workspaceDesc))
        let y = Buffer(bytes: 4 * n * c * (h / 2) * (w / 2)), dx = Buffer(bytes: 4 * x.count)
        try run(forward, [(DNNL_ARG_SRC, src, Buffer(x)), (DNNL_ARG_DST, dst, y), (DNNL_ARG_WORKSPACE, workspaceDesc, workspace)])
        try run(backward, [
            (DNNL_ARG_DIFF_DST, dst, Buffer(dy)), (DNNL_ARG_WORKSPACE, workspaceDesc, workspace), (DNNL_ARG_DIFF_SRC, src, dx),
        ])
        return (y.floats, dx.floats)
    }
}
