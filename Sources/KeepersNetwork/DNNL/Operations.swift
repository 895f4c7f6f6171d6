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
        return try describe(dnnl_convolution_desc_t(), "convolution_forward_desc_init",
                            attributes: fusedReLU ? try .fusedReLU() : nil, engine: engine) {
            dnnl_convolution_forward_desc_init(&$0, propagation(training), dnnl_convolution_direct, &src, &kernel, &bias,
                                               &dst, one, one, one)
        }
    }

    static func convolutionBackwardData(
        diffSource: Layout, kernel: Layout, diffDestination: Layout, hint: PrimitiveDescriptor, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (diffSrc, kernel, diffDst) = (diffSource.desc, kernel.desc, diffDestination.desc)
        return try describe(dnnl_convolution_desc_t(), "convolution_backward_data_desc_init", hint: hint,
                            engine: engine) {
            dnnl_convolution_backward_data_desc_init(&$0, dnnl_convolution_direct, &diffSrc, &kernel, &diffDst,
                                                     one, one, one)
        }
    }

    static func convolutionBackwardWeights(
        source: Layout, diffKernel: Layout, diffBias: Layout, diffDestination: Layout, hint: PrimitiveDescriptor,
        engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (src, diffKernel, diffBias, diffDst) = (source.desc, diffKernel.desc, diffBias.desc, diffDestination.desc)
        return try describe(dnnl_convolution_desc_t(), "convolution_backward_weights_desc_init", hint: hint,
                            engine: engine) {
            dnnl_convolution_backward_weights_desc_init(&$0, dnnl_convolution_direct, &src, &diffKernel, &diffBias,
                                                        &diffDst, one, one, one)
        }
    }

    static func maxPoolForward(training: Bool, source: Layout, destination: Layout, engine: Engine) throws
        -> PrimitiveDescriptor {
        var (src, dst) = (source.desc, destination.desc)
        return try describe(dnnl_pooling_desc_t(), "pooling_forward_desc_init", engine: engine) {
            dnnl_pooling_forward_desc_init(&$0, propagation(training), dnnl_pooling_max, &src, &dst, two, two, zero, zero)
        }
    }

    static func maxPoolBackward(
        diffSource: Layout, diffDestination: Layout, hint: PrimitiveDescriptor, engine: Engine
    ) throws -> PrimitiveDescriptor {
        var (diffSrc, diffDst) = (diffSource.desc, diffDestination.desc)
        return try describe(dnnl_pooling_desc_t(), "pooling_backward_desc_init", hint: hint, engine: engine) {
            dnnl_pooling_backward_desc_init(&$0, dnnl_pooling_max, &diffSrc, &diffDst, two, two, zero, zero)
        }
    }

    /// ReLU in the variant whose backward reads the output (all a fused ReLU leaves).
    static func reluForward(data: Layout, engine: Engine) throws -> PrimitiveDescriptor {
        var data = data.desc
        return try describe(dnnl_eltwise_desc_t(), "eltwise_forward_desc_init", engine: engine) {
            dnnl_eltwise_forward_desc_init(&$0, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, &data, 0, 0)
        }
    }

    static func reluBackward(diff: Layout, data: Layout, hint: PrimitiveDescriptor, engine: Engine) throws
        -> PrimitiveDescriptor {
        var (diff, data) = (diff.desc, data.desc)
        return try describe(dnnl_eltwise_desc_t(), "eltwise_backward_desc_init", hint: hint, engine: engine) {
            dnnl_eltwise_backward_desc_init(&$0, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &data, 0, 0)
        }
    }

    /// Fills an operation descriptor with oneDNN's `call` (`initialise`), then
    /// lets oneDNN choose the implementation.
    private static func describe<Operation>(
        _ empty: Operation, _ call: String, attributes: PrimitiveAttributes? = nil, hint: PrimitiveDescriptor? = nil,
        engine: Engine, _ initialise: (inout Operation) -> dnnl_status_t
    ) throws -> PrimitiveDescriptor {
        var operation = empty
        try check(initialise(&operation), call)
        return try PrimitiveDescriptor(operation, attributes: attributes, engine: engine, hint: hint)
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
    static func reorder(
        _ source: Memory, _ destination: Memory, accumulate: Bool = false, engine: Engine
    ) throws -> Execution {
        let descriptor = try PrimitiveDescriptor(
            reorderFrom: source.layout, to: destination.layout, engine: engine,
            attributes: accumulate ? try .accumulate() : nil)
        return Execution(try Primitive(descriptor), [(.from, source), (.to, destination)])
    }
}
