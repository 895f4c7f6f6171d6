// The network's layers, one forward/backward pair each, in the order data
// flows through them. Convolution, ReLU and max-pool run in oneDNN: each
// layer builds its oneDNN primitives once per input shape and hands out the
// calls (`Execution`s) that a ShapePlan strings together. The head's layers
// run in Swift: they touch a few thousand numbers per image.
//
// Shapes, outermost first (row-major wherever Swift reads the numbers):
//   N      images in the batch
//   Cin, Cout  a convolution's input and output channels; C any channels
//   H, W   height and width at a layer's input
//   F      the last convolution stage's output (N, C, S), S = h * w positions
//   D      the head's inputs per image: pooled features, then statistics
//   U      units of the head's hidden layer (0: none)
//
// Gradients: a backward pass writes every gradient it computes, overwriting
// what was there, except where several contributions meet in one tensor:
// the images of a stage that runs image by image (each adds its share of
// the kernel and bias gradients), and dF (the average pool writes it, the
// max pool adds its share). There the first contribution writes and the
// others add, so one backward pass rewrites all gradients and nothing needs
// zeroing between steps.

// MARK: Convolution (oneDNN)

/// 3x3 convolution, stride 1, padding 1 (PyTorch's Conv2d(Cin, Cout, 3,
/// padding=1)), ReLU fused as a post-op:
/// y (N, Cout, H, W) = relu(x (N, Cin, H, W) * kernel (Cout, Cin, 3, 3) + bias (Cout)).
/// Backward is the convolution's alone: dy arrives masked by the ReLU (see
/// `ReLULayer`), and gives dkernel, dbias and dx.
package struct ConvolutionLayer {
    /// The formats of x, kernel, bias and y the forward call reads and writes.
    package let x: Layout, kernel: Layout, bias: Layout, y: Layout
    /// Training only: the format dkernel comes out in, and the kernel's format
    /// for the dx call (either may differ from the forward formats).
    package let dkernel: Layout?, dataKernel: Layout?
    private let forwardCall: Primitive
    private let weightsCall: Primitive?, dataCall: Primitive?

    /// `inputGradient`: whether dx is needed (not for the input image).
    package init(
        batch n: Int, inputChannels cin: Int, outputChannels cout: Int, height h: Int, width w: Int,
        formats: Layout.Formats, fusedReLU: Bool = true, training: Bool, inputGradient: Bool = true, engine: Engine
    ) throws {
        let forward = try PrimitiveDescriptor.convolutionForward(
            training: training, source: try formats.layout([n, cin, h, w]),
            kernel: try formats.layout([cout, cin, 3, 3]), bias: try .plain([cout]),
            destination: try formats.layout([n, cout, h, w]), fusedReLU: fusedReLU, engine: engine)
        (x, kernel, y) = (forward.layout(of: .source), forward.layout(of: .weights), forward.layout(of: .destination))
        bias = try .plain([cout])
        forwardCall = try Primitive(forward)
        guard training else {
            (dkernel, dataKernel, weightsCall, dataCall) = (nil, nil, nil, nil)
            return
        }
        let weights = try PrimitiveDescriptor.convolutionBackwardWeights(
            source: x, diffKernel: try formats.layout([cout, cin, 3, 3]), diffBias: bias, diffDestination: y,
            hint: forward, engine: engine)
        dkernel = weights.layout(of: .diffWeights)
        weightsCall = try Primitive(weights)
        guard inputGradient else {
            (dataKernel, dataCall) = (nil, nil)
            return
        }
        let data = try PrimitiveDescriptor.convolutionBackwardData(
            diffSource: x, kernel: try formats.layout([cout, cin, 3, 3]), diffDestination: y, hint: forward,
            engine: engine)
        dataKernel = data.layout(of: .weights)
        dataCall = try Primitive(data)
    }

    package func forward(x: Memory, kernel: Memory, bias: Memory, y: Memory) -> Execution {
        Execution(forwardCall, [(.source, x), (.weights, kernel), (.bias, bias), (.destination, y)])
    }

    /// dkernel (Cout, Cin, 3, 3) and dbias (Cout) from x and dy (N, Cout, H, W).
    package func backwardWeights(x: Memory, dy: Memory, dkernel: Memory, dbias: Memory) -> Execution {
        Execution(weightsCall!, [(.source, x), (.diffDestination, dy), (.diffWeights, dkernel), (.diffBias, dbias)])
    }

    /// dx (N, Cin, H, W) from dy and the kernel in `dataKernel`'s format.
    package func backwardData(dy: Memory, kernel: Memory, dx: Memory) -> Execution {
        Execution(dataCall!, [(.diffDestination, dy), (.weights, kernel), (.diffSource, dx)])
    }
}

// MARK: ReLU (oneDNN)

/// y = max(x, 0). Forward runs fused into the convolution; backward reads
/// only y, all a fused ReLU leaves: dx = dy where y > 0, else 0.
/// The plans run this backward after the max-pool's, on the pooled output:
/// max-pool commutes with ReLU (both monotone), pool(relu(y)) = relu(pool(y)),
/// so masking the small pooled gradient with z > 0 and letting the pool route
/// it to the argmax gives the gradient with respect to the pre-activation,
/// and skips a ReLU pass over the large full-resolution tensors.
package struct ReLULayer {
    package let data: Layout
    private let backwardCall: Primitive

    package init(data: Layout, engine: Engine) throws {
        self.data = data
        let hint = try PrimitiveDescriptor.reluForward(data: data, engine: engine)
        backwardCall = try Primitive(try .reluBackward(diff: data, data: data, hint: hint, engine: engine))
    }

    /// `dx` may be `dy` (in place).
    package func backward(y: Memory, dy: Memory, dx: Memory) -> Execution {
        Execution(backwardCall, [(.destination, y), (.diffDestination, dy), (.diffSource, dx)])
    }
}

// MARK: Max-pool (oneDNN)

/// 2x2 max-pool, stride 2: z (N, C, H/2, W/2) = the maximum of each 2x2
/// window of y (N, C, H, W), an odd last row or column dropped. Training keeps
/// each window's argmax in a workspace; backward routes dz there: dy (N, C,
/// H, W) = dz at each argmax, 0 elsewhere.
package struct MaxPoolLayer {
    package let y: Layout, z: Layout
    /// Training only.
    package let workspace: Layout?
    private let forwardCall: Primitive, backwardCall: Primitive?

    package init(y: Layout, formats: Layout.Formats, training: Bool, engine: Engine) throws {
        let d = y.dims
        let forward = try PrimitiveDescriptor.maxPoolForward(
            training: training, source: y, destination: try formats.layout([d[0], d[1], d[2] / 2, d[3] / 2]),
            engine: engine)
        self.y = y
        z = forward.layout(of: .destination)
        forwardCall = try Primitive(forward)
        guard training else {
            (workspace, backwardCall) = (nil, nil)
            return
        }
        workspace = forward.layout(of: .workspace)
        backwardCall = try Primitive(
            try .maxPoolBackward(diffSource: y, diffDestination: z, hint: forward, engine: engine))
    }

    /// `workspace` in training only.
    package func forward(y: Memory, z: Memory, workspace: Memory?) -> Execution {
        var arguments: [(Argument, Memory)] = [(.source, y), (.destination, z)]
        if let workspace { arguments.append((.workspace, workspace)) }
        return Execution(forwardCall, arguments)
    }

    package func backward(dz: Memory, workspace: Memory, dy: Memory) -> Execution {
        Execution(backwardCall!, [(.diffDestination, dz), (.workspace, workspace), (.diffSource, dy)])
    }
}

// MARK: Global average pool (Swift)

/// pooled (N, C) = mean over S of F (N, C, S).
func globalAveragePoolForward(
    _ pooled: UnsafeMutablePointer<Float>, _ features: UnsafePointer<Float>, n: Int, c: Int, s: Int
) {
    let scale = 1 / Float(s)
    for plane in 0..<(n * c) {
        var sum: Float = 0
        let row = features + plane * s
        for i in 0..<s { sum += row[i] }
        pooled[plane] = sum * scale
    }
}

/// dF (N, C, S) = dpooled (N, C) / S where F > 0, else 0: written, not added.
/// The mask is the ReLU (or ReLU-after-pool) that produced F, folded in here
/// to save a pass.
func globalAveragePoolBackward(
    _ dfeatures: UnsafeMutablePointer<Float>, _ dpooled: UnsafePointer<Float>, _ features: UnsafePointer<Float>,
    n: Int, c: Int, s: Int
) {
    let scale = 1 / Float(s)
    for plane in 0..<(n * c) {
        let g = dpooled[plane] * scale
        let offset = plane * s
        for i in 0..<s { dfeatures[offset + i] = features[offset + i] > 0 ? g : 0 }
    }
}

// MARK: Global max pool (Swift)

/// pooled (N, C) = max over S of F (N, C, S), and argmax (N, C) the first
/// position of each maximum (ties go to the lowest index: deterministic).
func globalMaxPoolForward(
    _ pooled: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int>, _ features: UnsafePointer<Float>,
    n: Int, c: Int, s: Int
) {
    for plane in 0..<(n * c) {
        let row = features + plane * s
        var (best, at) = (row[0], 0)
        for i in 1..<s where row[i] > best { (best, at) = (row[i], i) }
        pooled[plane] = best
        argmax[plane] = at
    }
}

/// dF (N, C, S) += dpooled (N, C) at each argmax where F > 0 (the ReLU that
/// produced F passes nothing where it output 0). Adds: the average pool wrote dF.
func globalMaxPoolBackwardAccumulate(
    _ dfeatures: UnsafeMutablePointer<Float>, _ dpooled: UnsafePointer<Float>, _ argmax: UnsafePointer<Int>,
    _ features: UnsafePointer<Float>, n: Int, c: Int, s: Int
) {
    for plane in 0..<(n * c) {
        let i = plane * s + argmax[plane]
        if features[i] > 0 { dfeatures[i] += dpooled[plane] }
    }
}

// MARK: Dense (Swift)

/// out (N, O) = input (N, I) . kernel (O, I)^T + bias (O): PyTorch's nn.Linear.
func linearForward(
    _ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>, kernel: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, n: Int, inputs: Int, outputs: Int
) {
    for b in 0..<n {
        for o in 0..<outputs {
            var sum = bias[o]
            let row = kernel + o * inputs, x = input + b * inputs
            for i in 0..<inputs { sum += row[i] * x[i] }
            out[b * outputs + o] = sum
        }
    }
}

/// dkernel (O, I) and dbias (O), the gradients summed over the batch, and
/// dinput (N, I) = dout (N, O) . kernel: all three written.
func linearBackward(
    dinput: UnsafeMutablePointer<Float>, dkernel: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, input: UnsafePointer<Float>, kernel: UnsafePointer<Float>,
    n: Int, inputs: Int, outputs: Int
) {
    dkernel.update(repeating: 0, count: outputs * inputs)
    dbias.update(repeating: 0, count: outputs)
    dinput.update(repeating: 0, count: n * inputs)
    for b in 0..<n {
        let x = input + b * inputs, dx = dinput + b * inputs
        for o in 0..<outputs {
            let g = dout[b * outputs + o]
            dbias[o] += g
            let row = kernel + o * inputs, drow = dkernel + o * inputs
            for i in 0..<inputs {
                drow[i] += g * x[i]
                dx[i] += g * row[i]
            }
        }
    }
}

/// The head: an optional hidden layer, hidden (N, U) = relu(input (N, D) .
/// hiddenKernel (U, D)^T + hiddenBias (U)), then the logit (N) = (hidden, or
/// the input without one) . denseKernel (1, U or D)^T + denseBias (1). The
/// tensors are offsets into a flat parameter vector, and into the gradient
/// vector parallel to it.
struct DenseHead {
    let inputs: Int  // D
    let hiddenUnits: Int  // U
    let hiddenKernel: Int, hiddenBias: Int  // unused without a hidden layer
    let denseKernel: Int, denseBias: Int

    /// The logits (N) and the hidden activations (N, U) after ReLU (empty without a hidden layer).
    func forward(_ input: [Float], n: Int, parameters p: UnsafePointer<Float>) -> (logits: [Float], hidden: [Float]) {
        var logits = [Float](repeating: 0, count: n)
        guard hiddenUnits > 0 else {
            linearForward(&logits, input, kernel: p + denseKernel, bias: p + denseBias, n: n, inputs: inputs, outputs: 1)
            return (logits, [])
        }
        let u = hiddenUnits
        var hidden = [Float](repeating: 0, count: n * u)
        linearForward(&hidden, input, kernel: p + hiddenKernel, bias: p + hiddenBias, n: n, inputs: inputs, outputs: u)
        for i in hidden.indices where hidden[i] < 0 { hidden[i] = 0 }
        linearForward(&logits, hidden, kernel: p + denseKernel, bias: p + denseBias, n: n, inputs: u, outputs: 1)
        return (logits, hidden)
    }

    /// Writes the head's parameter gradients and returns dinput (N, D).
    func backward(
        dlogits: [Float], input: [Float], hidden: [Float], n: Int, parameters p: UnsafePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>
    ) -> [Float] {
        var dinput = [Float](repeating: 0, count: n * inputs)
        guard hiddenUnits > 0 else {
            linearBackward(dinput: &dinput, dkernel: g + denseKernel, dbias: g + denseBias, dout: dlogits, input: input,
                           kernel: p + denseKernel, n: n, inputs: inputs, outputs: 1)
            return dinput
        }
        let u = hiddenUnits
        var dhidden = [Float](repeating: 0, count: n * u)
        linearBackward(dinput: &dhidden, dkernel: g + denseKernel, dbias: g + denseBias, dout: dlogits, input: hidden,
                       kernel: p + denseKernel, n: n, inputs: u, outputs: 1)
        for i in dhidden.indices where hidden[i] <= 0 { dhidden[i] = 0 }  // ReLU
        linearBackward(dinput: &dinput, dkernel: g + hiddenKernel, dbias: g + hiddenBias, dout: dhidden, input: input,
                       kernel: p + hiddenKernel, n: n, inputs: inputs, outputs: u)
        return dinput
    }
}

// MARK: Loss (Swift)

/// The mean binary cross-entropy of logits (N) against labels (N).
func binaryCrossEntropyForward(logits: UnsafePointer<Float>, labels: UnsafePointer<Float>, n: Int) -> Float {
    var total: Float = 0
    for b in 0..<n { total += binaryCrossEntropy(logit: logits[b], label: labels[b]) }
    return total / Float(n)
}

/// dlogits (N) = (sigmoid(logit) - label) / N: the mean loss's gradient.
func binaryCrossEntropyBackward(
    dlogits: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, labels: UnsafePointer<Float>, n: Int
) {
    for b in 0..<n { dlogits[b] = (sigmoid(logits[b]) - labels[b]) / Float(n) }
}
