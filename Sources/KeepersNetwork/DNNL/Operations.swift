internal import CDNNL

// The oneDNN operations the network uses, as primitive descriptors: what
// to compute and in which formats (oneDNN picks the kernel). One factory per
// operation, so a plan and the single-layer tests build theirs the same way.
// Geometry: 3x3 convolutions with stride 1 and padding 1; 2x2 max-pools with
// stride 2 and no padding.
extension PrimitiveDescriptor {
    /// `fusedReLU` runs ReLU on the output as a post-op (no extra pass over it).
    static func convolutionForward(
        training: Bool, source: Layout, kernel: Layout, bias: Layout, destination: Layout, fusedReLU: Bool,
        engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (src, kernel, bias, dst) = (source.desc, kernel.desc, bias.desc, destination.desc)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_forward_desc_init(&op, propagation(training), dnnl_convolution_direct, &src, &kernel, &bias,
                                               &dst, one, one, one),
            "convolution_forward_desc_init")
        return try PrimitiveDescriptor(op, attributes: fusedReLU ? try .fusedReLU() : nil, engine: engine)
    }

    static func convolutionBackwardData(
        diffSource: Layout, kernel: Layout, diffDestination: Layout, hint: PrimitiveDescriptor, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (diffSrc, kernel, diffDst) = (diffSource.desc, kernel.desc, diffDestination.desc)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_backward_data_desc_init(&op, dnnl_convolution_direct, &diffSrc, &kernel, &diffDst,
                                                     one, one, one),
            "convolution_backward_data_desc_init")
        return try PrimitiveDescriptor(op, engine: engine, hint: hint)
    }

    static func convolutionBackwardWeights(
        source: Layout, diffKernel: Layout, diffBias: Layout, diffDestination: Layout, hint: PrimitiveDescriptor,
        engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (src, diffKernel, diffBias, diffDst) = (source.desc, diffKernel.desc, diffBias.desc, diffDestination.desc)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_backward_weights_desc_init(&op, dnnl_convolution_direct, &src, &diffKernel, &diffBias,
                                                        &diffDst, one, one, one),
            "convolution_backward_weights_desc_init")
        return try PrimitiveDescriptor(op, engine: engine, hint: hint)
    }

    static func maxPoolForward(
        training: Bool, source: Layout, destination: Layout, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (src, dst) = (source.desc, destination.desc)
        var op = dnnl_pooling_desc_t()
        try check(
            dnnl_pooling_forward_desc_init(&op, propagation(training), dnnl_pooling_max, &src, &dst, two, two, zero, zero),
            "pooling_forward_desc_init")
        return try PrimitiveDescriptor(op, engine: engine)
    }

    static func maxPoolBackward(
        diffSource: Layout, diffDestination: Layout, hint: PrimitiveDescriptor, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (diffSrc, diffDst) = (diffSource.desc, diffDestination.desc)
        var op = dnnl_pooling_desc_t()
        try check(
            dnnl_pooling_backward_desc_init(&op, dnnl_pooling_max, &diffSrc, &diffDst, two, two, zero, zero),
            "pooling_backward_desc_init")
        return try PrimitiveDescriptor(op, engine: engine, hint: hint)
    }

    /// ReLU in the variant whose backward reads the output (all a fused ReLU leaves).
    static func reluForward(data: Layout, engine: Engine) throws -> PrimitiveDescriptor {
        var data = data.desc
        var op = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_forward_desc_init(&op, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, &data, 0, 0),
            "eltwise_forward_desc_init")
        return try PrimitiveDescriptor(op, engine: engine)
    }

    static func reluBackward(
        diff: Layout, data: Layout, hint: PrimitiveDescriptor, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (diff, data) = (diff.desc, data.desc)
        var op = dnnl_eltwise_desc_t()
        try check(
            dnnl_eltwise_backward_desc_init(&op, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &data, 0, 0),
            "eltwise_backward_desc_init")
        return try PrimitiveDescriptor(op, engine: engine, hint: hint)
    }

    private static func propagation(_ training: Bool) -> dnnl_prop_kind_t {
        training ? dnnl_forward_training : dnnl_forward_inference
    }

    // Spatial strides, kernel sizes and paddings (2 spatial dims).
    private static let one: [Int64] = [1, 1]
    private static let two: [Int64] = [2, 2]
    private static let zero: [Int64] = [0, 0]
}

extension Execution {
    /// Copies `source` into `destination`'s format; with `accumulate` it adds
    /// to what `destination` holds instead of overwriting it.
    static func reorder(_ source: Memory, _ destination: Memory, accumulate: Bool = false, engine: Engine) throws -> Execution {
        let descriptor = try PrimitiveDescriptor(
            reorderFrom: source.layout, to: destination.layout, engine: engine,
            attributes: accumulate ? try .accumulate() : nil)
        return Execution(try Primitive(descriptor), [(.from, source), (.to, destination)])
    }
}
