import CDNNL

// The backward half of a training plan, in reverse stage order: pool
// backward (to the pre-activation gradient, see the ReLU/pool note in
// ShapePlan.swift), weight and bias gradients into the flat gradient vector,
// data gradient for the stage below, then that stage's ReLU mask.
extension ShapePlan {
    func buildBackward(_ architecture: Architecture, stages: [Stage], plainFeature: dnnl_memory_desc_t) throws {
        let featureGradient = try slotMemories(plainFeature)[0]
        featureGradientSlot = slotBytes.count - 1
        // Gradient with respect to the last output, already ReLU-masked by the head.
        var outputGradient = featureGradient
        if !Layout.same(plainFeature, stages.last!.output.desc) {
            outputGradient = try slotMemories(stages.last!.output.desc)[0]
            backward.append(try reorder(featureGradient, outputGradient))
        }
        var weightReorders: [Execution] = []

        for (index, stage) in stages.enumerated().reversed() {
            let conv = architecture.convolutions[index]
            let parts = stage.parts
            let partOutputDesc = stage.pool?.outputs[0].desc ?? stage.convOutputs[0].desc
            let outputGradients = try views(of: outputGradient, as: partOutputDesc, parts: parts)
            // Gradient with respect to the pre-activation of conv i (N, Cout, H, W),
            // in the slot y_i used: y_i is dead once pooled.
            var convGradients = outputGradients
            var poolBackward: Primitive?
            if let pool = stage.pool {
                var diffSrc = stage.convOutputs[0].desc
                var diffDst = pool.outputs[0].desc
                var op = dnnl_pooling_desc_t()
                try check(
                    dnnl_pooling_backward_desc_init(
                        &op, dnnl_pooling_max, &diffSrc, &diffDst, Layout.two, Layout.two, Layout.zero, Layout.zero),
                    "pooling_backward_desc_init")
                poolBackward = try Primitive(try PrimitiveDescriptor(op, engine: engine, hint: pool.descriptor))
                convGradients = stage.convOutputs
            }

            // Weights and bias gradients into the flat gradient vector; split
            // stages add each image's share with accumulating reorders.
            let diffBias = try Layout.plain([conv.outputChannels])
            let diffDst = convGradients[0].desc
            let weightsOp = try Convolution.backwardWeights(
                src: stage.sources[0].desc, diffKernel: try Layout.any([conv.outputChannels, conv.inputChannels, 3, 3]),
                diffBias: diffBias, diffDst: diffDst)
            let weightsDescriptor = try PrimitiveDescriptor(weightsOp, engine: engine, hint: stage.convDescriptor)
            let weightsBackward = try Primitive(weightsDescriptor)
            let plainKernelGradient = try memory(try Layout.plain([conv.outputChannels, conv.inputChannels, 3, 3]),
                                                 .gradients(offset: architecture.kernel(ofConvolution: index).offset))
            let kernelGradientDesc = weightsDescriptor.memoryDesc(dnnl_query_diff_weights_md)
            let direct = parts == 1 && Layout.same(kernelGradientDesc, plainKernelGradient.desc)
            let kernelGradient = direct ? plainKernelGradient : try memory(kernelGradientDesc, .owned)
            let biasGradient = try memory(diffBias, .gradients(offset: architecture.bias(ofConvolution: index).offset))
            let partBiasGradient = parts > 1 ? try memory(diffBias, .owned) : biasGradient

            for part in 0..<parts {
                if let pool = stage.pool, let poolBackward {
                    backward.append(Execution(poolBackward, [
                        (DNNL_ARG_DIFF_DST, outputGradients[part]), (DNNL_ARG_WORKSPACE, pool.workspaces[part]),
                        (DNNL_ARG_DIFF_SRC, convGradients[part]),
                    ]))
                }
                backward.append(Execution(weightsBackward, [
                    (DNNL_ARG_SRC, stage.sources[part]), (DNNL_ARG_DIFF_DST, convGradients[part]),
                    (DNNL_ARG_DIFF_WEIGHTS, kernelGradient),
                    (DNNL_ARG_DIFF_BIAS, part == 0 ? biasGradient : partBiasGradient),
                ]))
                if !direct {
                    backward.append(try reorder(kernelGradient, plainKernelGradient, accumulate: part > 0))
                }
                if part > 0 { backward.append(try reorder(partBiasGradient, biasGradient, accumulate: true)) }
            }

            guard index > 0 else { break }  // nobody needs the gradient of the input image
            let dataOp = try Convolution.backwardData(
                diffSrc: stage.sources[0].desc,
                kernel: try Layout.any([conv.outputChannels, conv.inputChannels, 3, 3]), diffDst: diffDst)
            let dataDescriptor = try PrimitiveDescriptor(dataOp, engine: engine, hint: stage.convDescriptor)
            let dataBackward = try Primitive(dataDescriptor)
            let kernelDesc = dataDescriptor.memoryDesc(dnnl_query_weights_md)
            let weights: Memory
            if Layout.same(kernelDesc, stage.weights.desc) {
                weights = stage.weights
            } else {
                let plainKernel = try memory(try Layout.plain([conv.outputChannels, conv.inputChannels, 3, 3]),
                                             .parameters(offset: architecture.kernel(ofConvolution: index).offset))
                weights = try weightsMemory(kernelDesc, plain: plainKernel, into: &weightReorders)
            }
            let previousOutput = stages[index - 1].output
            let previousGradient = try slotMemories(previousOutput.desc)[0]
            let previousGradients = try views(
                of: previousGradient, as: try Layout.withBatch(previousOutput.desc, batch / parts), parts: parts)
            let sourceGradients = stage.reorderedSource
                ? try slotMemories(stage.sources[0].desc, parts: parts) : previousGradients
            for part in 0..<parts {
                backward.append(Execution(dataBackward, [
                    (DNNL_ARG_DIFF_DST, convGradients[part]), (DNNL_ARG_WEIGHTS, weights),
                    (DNNL_ARG_DIFF_SRC, sourceGradients[part]),
                ]))
                if stage.reorderedSource { backward.append(try reorder(sourceGradients[part], previousGradients[part])) }
            }
            // Mask with z > 0 (ReLU backward on the small pooled tensor, in place).
            backward.append(try reluMask(gradient: previousGradient, output: previousOutput))
            outputGradient = previousGradient
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
}
