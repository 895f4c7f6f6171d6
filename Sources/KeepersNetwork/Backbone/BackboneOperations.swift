internal import CDNNL

// The oneDNN operations only the backbone uses: convolutions of any kernel,
// stride, padding and groups with ReLU6 fused, inference only; the residual
// add; the global average pool.
extension PrimitiveAttributes {
    /// ReLU6 (MobileNet's clip to [0, 6]) as a post-op of a convolution.
    static func fusedReLU6() throws -> PrimitiveAttributes {
        let attributes = try PrimitiveAttributes()
        var postOps: OpaquePointer?
        try check(dnnl_post_ops_create(&postOps), "post_ops_create")
        defer { dnnl_post_ops_destroy(postOps) }
        try check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_clip, 0, 6), "post_ops_append_eltwise(clip)")
        try check(dnnl_primitive_attr_set_post_ops(attributes.handle, postOps), "primitive_attr_set_post_ops")
        return attributes
    }
}

extension PrimitiveDescriptor {
    static func backboneConvolution(
        _ layer: BackboneConvolution, source: Layout, destination: Layout, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (src, dst) = (source.desc, destination.desc)
        var kernel = try Layout.any(layer.kernelDims).desc
        var bias = try Layout.plain([layer.outputChannels]).desc
        let strides = [Int64(layer.stride), Int64(layer.stride)]
        let before = [Int64(layer.padding[0]), Int64(layer.padding[1])]
        let after = [Int64(layer.padding[2]), Int64(layer.padding[3])]
        var operation = dnnl_convolution_desc_t()
        try check(dnnl_convolution_forward_desc_init(&operation, dnnl_forward_inference, dnnl_convolution_direct, &src,
                                                     &kernel, &bias, &dst, strides, before, after),
                  "convolution_forward_desc_init")
        return try PrimitiveDescriptor(operation, attributes: layer.activation == .relu6 ? try .fusedReLU6() : nil,
                                       engine: engine)
    }

    /// destination = source0 + source1, all three in `layout`.
    static func add(_ layout: Layout, engine: Engine) throws -> PrimitiveDescriptor {
        var (a, b, c) = (layout.desc, layout.desc, layout.desc)
        var operation = dnnl_binary_desc_t()
        try check(dnnl_binary_desc_init(&operation, dnnl_binary_add, &a, &b, &c), "binary_desc_init")
        return try PrimitiveDescriptor(operation, engine: engine)
    }

    /// The mean over all positions: (N, C, h, w) -> (N, C, 1, 1).
    static func globalAveragePool(source: Layout, height: Int, width: Int, engine: Engine) throws -> PrimitiveDescriptor {
        var src = source.desc
        let dims = source.dims
        var dst = try Layout.any([dims[0], dims[1], 1, 1]).desc
        let window = [Int64(height), Int64(width)]
        let zero: [Int64] = [0, 0]
        var operation = dnnl_pooling_desc_t()
        try check(dnnl_pooling_forward_desc_init(&operation, dnnl_forward_inference, dnnl_pooling_avg_exclude_padding,
                                                 &src, &dst, window, window, zero, zero),
                  "pooling_forward_desc_init(average)")
        return try PrimitiveDescriptor(operation, engine: engine)
    }
}

extension Argument {
    static let source1 = Argument(value: DNNL_ARG_SRC_1)
}
