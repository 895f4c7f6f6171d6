import CDNNL

/// The network's one convolution geometry (3x3, stride 1, padding 1) as
/// oneDNN operation descriptors. ShapePlan and SingleLayers (which the
/// gradient tests run) both build theirs here, so the tested convolution is
/// the trained one.
enum Convolution {
    static func forward(
        _ prop: dnnl_prop_kind_t, src: dnnl_memory_desc_t, kernel: dnnl_memory_desc_t,
        bias: dnnl_memory_desc_t, dst: dnnl_memory_desc_t
    ) throws -> dnnl_convolution_desc_t {
        var (src, kernel, bias, dst) = (src, kernel, bias, dst)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_forward_desc_init(&op, prop, dnnl_convolution_direct, &src, &kernel, &bias, &dst,
                                               Layout.one, Layout.one, Layout.one),
            "convolution_forward_desc_init")
        return op
    }

    static func backwardData(
        diffSrc: dnnl_memory_desc_t, kernel: dnnl_memory_desc_t, diffDst: dnnl_memory_desc_t
    ) throws -> dnnl_convolution_desc_t {
        var (diffSrc, kernel, diffDst) = (diffSrc, kernel, diffDst)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_backward_data_desc_init(&op, dnnl_convolution_direct, &diffSrc, &kernel, &diffDst,
                                                     Layout.one, Layout.one, Layout.one),
            "convolution_backward_data_desc_init")
        return op
    }

    static func backwardWeights(
        src: dnnl_memory_desc_t, diffKernel: dnnl_memory_desc_t, diffBias: dnnl_memory_desc_t,
        diffDst: dnnl_memory_desc_t
    ) throws -> dnnl_convolution_desc_t {
        var (src, diffKernel, diffBias, diffDst) = (src, diffKernel, diffBias, diffDst)
        var op = dnnl_convolution_desc_t()
        try check(
            dnnl_convolution_backward_weights_desc_init(&op, dnnl_convolution_direct, &src, &diffKernel, &diffBias,
                                                        &diffDst, Layout.one, Layout.one, Layout.one),
            "convolution_backward_weights_desc_init")
        return op
    }
}
