// The backward half of a training plan, from the last stage to the first:
// the max-pool's backward (which yields the pre-activation gradient, see
// ReLULayer), the kernel and bias gradients into the flat gradient vector,
// then dx for the stage below, masked by that stage's ReLU.
extension ShapePlan {
    func buildBackward(_ architecture: Architecture, stages: [Stage]) throws {
        // dF from the head, already ReLU-masked, in the last stage's output format.
        let featureGradient = try memory.slot(try featureLayout())[0]
        featureGradientSlot = memory.slotBytes.count - 1
        var doutput = featureGradient  // (N, Cout, h, w): d(output) of the stage at hand
        if !featureGradient.layout.matches(stages.last!.output.layout) {
            doutput = try memory.slot(stages.last!.output.layout)[0]
            backward.append(try memory.reorder(featureGradient, doutput))
        }
        var weightReorders: [Execution] = []

        for (index, stage) in stages.enumerated().reversed() {
            let spec = architecture.convolutions[index]
            let convolution = stage.convolution
            let dz = try memory.views(of: doutput, as: (stage.pool == nil ? stage.y : stage.z)[0].layout, parts: stage.parts)
            // dy_i (n, Cout, H, W): dz_i itself without a pool, else in the slot y_i used (dead once pooled).
            let dy = stage.pool == nil ? dz : stage.y
            let gradients = try ParameterGradients(stage, architecture.kernel(ofConvolution: index).offset,
                                                   architecture.bias(ofConvolution: index).offset, memory)
            for part in 0..<stage.parts {
                if let pool = stage.pool {
                    backward.append(pool.backward(dz: dz[part], workspace: stage.workspaces[part], dy: dy[part]))
                }
                backward.append(convolution.backwardWeights(x: stage.x[part], dy: dy[part], dkernel: gradients.kernel,
                                                            dbias: part == 0 ? gradients.bias : gradients.partBias))
                backward += try gradients.collect(part: part, memory)
            }

            guard index > 0 else { break }  // nobody needs the gradient of the input image
            let kernel = convolution.dataKernel!.matches(stage.kernel.layout) ? stage.kernel : try memory.parameters(
                convolution.dataKernel!, plain: try .plain([spec.outputChannels, spec.inputChannels, 3, 3]),
                offset: architecture.kernel(ofConvolution: index).offset, reorders: &weightReorders)
            let below = stages[index - 1].output  // (N, Cin, H, W): what x_i was made from
            let dbelow = try memory.slot(below.layout)[0]
            let dbelowParts = try memory.views(of: dbelow, as: try below.layout.withBatch(batch / stage.parts),
                                               parts: stage.parts)
            let dx = stage.reordersInput ? try memory.slot(stage.x[0].layout, parts: stage.parts) : dbelowParts
            for part in 0..<stage.parts {
                backward.append(convolution.backwardData(dy: dy[part], kernel: kernel, dx: dx[part]))
                if stage.reordersInput { backward.append(try memory.reorder(dx[part], dbelowParts[part])) }
            }
            // The ReLU of the stage below, in place on the (pooled) gradient.
            let relu = try ReLULayer(data: below.layout, engine: memory.engine)
            backward.append(relu.backward(y: below, dy: dbelow, dx: dbelow))
            doutput = dbelow
        }
        backward.insert(contentsOf: weightReorders, at: 0)
    }
}

/// One stage's kernel and bias gradients, in the flat gradient vector. The
/// first image's share is written there (or to `kernel`, when backward wants
/// another format, then reordered in); when the stage runs image by image,
/// each later image's share goes to scratch and is added (the gradient rule
/// in Layers.swift).
private struct ParameterGradients {
    let plainKernel: Memory  // (Cout, Cin, 3, 3) in the gradient vector
    let kernel: Memory  // (Cout, Cin, 3, 3) as backward writes it: `plainKernel`, or a scratch copy
    let bias: Memory  // (Cout) in the gradient vector
    let partBias: Memory  // (Cout) scratch for the images after the first; `bias` when not split

    init(_ stage: ShapePlan.Stage, _ kernelOffset: Int, _ biasOffset: Int, _ memory: PlanMemory) throws {
        let dkernel = stage.convolution.dkernel!
        let split = stage.parts > 1
        plainKernel = try memory.memory(try .plain(dkernel.dims), .gradients(offset: kernelOffset))
        kernel = !split && dkernel.matches(plainKernel.layout) ? plainKernel : try memory.memory(dkernel, .owned)
        bias = try memory.memory(stage.convolution.bias, .gradients(offset: biasOffset))
        partBias = split ? try memory.memory(stage.convolution.bias, .owned) : bias
    }

    /// The reorders that bring image `part`'s share into the gradient vector.
    func collect(part: Int, _ memory: PlanMemory) throws -> [Execution] {
        var reorders: [Execution] = []
        if kernel !== plainKernel { reorders.append(try memory.reorder(kernel, plainKernel, accumulate: part > 0)) }
        if part > 0 { reorders.append(try memory.reorder(partBias, bias, accumulate: true)) }
        return reorders
    }
}
