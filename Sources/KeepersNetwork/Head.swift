import Foundation

// The head after the convolutions, in plain Swift: it touches a few thousand
// numbers per image, so oneDNN would buy nothing. Shapes: N batch, C feature
// channels, S = h * w feature-map positions; F is (N, C, S) in NCHW order.
// Backward functions overwrite their outputs (nothing accumulates across calls).

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

/// dF (N, C, S) = dpooled / S where F > 0, else 0. The mask is the ReLU (or
/// ReLU-after-pool, which equals pool-after-ReLU) that produced F; folding it
/// in here saves a separate pass.
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

/// Binary cross-entropy on logits, numerically stable for any |x|:
/// loss = max(x, 0) - x y + log(1 + exp(-|x|)), the same value as
/// -[y log s(x) + (1 - y) log(1 - s(x))] without overflowing exp.
func binaryCrossEntropy(logit x: Float, label y: Float) -> Float {
    max(x, 0) - x * y + log1p(exp(-abs(x)))
}

/// The logistic function, without overflow for large |x|.
func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// Mean loss over the batch and dlogits (N) = (sigmoid(x) - y) / N.
func binaryCrossEntropyForwardBackward(
    dlogits: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, labels: UnsafePointer<Float>, n: Int
) -> Float {
    var total: Float = 0
    for b in 0..<n {
        total += binaryCrossEntropy(logit: logits[b], label: labels[b])
        dlogits[b] = (sigmoid(logits[b]) - labels[b]) / Float(n)
    }
    return total / Float(n)
}

/// pooled (N, C) = max over S of F (N, C, S), and the first position of
/// each maximum (ties go to the lowest index, so the result is deterministic).
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

/// dF (N, C, S) += dpooled at each plane's maximum, where F > 0 (the ReLU
/// that produced F passes no gradient where it output 0).
func globalMaxPoolBackwardAccumulate(
    _ dfeatures: UnsafeMutablePointer<Float>, _ dpooled: UnsafePointer<Float>, _ argmax: UnsafePointer<Int>,
    _ features: UnsafePointer<Float>, n: Int, c: Int, s: Int
) {
    for plane in 0..<(n * c) {
        let i = plane * s + argmax[plane]
        if features[i] > 0 { dfeatures[i] += dpooled[plane] }
    }
}

/// out (N, O) = in (N, I) . kernel (O, I)^T + bias (O): PyTorch's nn.Linear.
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

/// dkernel (O, I) and dbias (O) overwritten with the gradients summed over
/// the batch; dinput (N, I) = dout . kernel.
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
