import KeepersTestSupport
import Testing

/// Each oneDNN layer's backward against central finite differences of its
/// forward, on small random tensors in plain NCHW.
@Suite struct LayerGradientTests {
    let layers: SingleLayers
    init() throws { layers = try SingleLayers() }

    // (N, Cin, Cout, H, W): odd sizes catch padding and edge handling.
    let n = 2, cin = 3, cout = 4, h = 5, w = 6

    @Test func convolutionMatchesDirectPyTorchStyleCrossCorrelation() throws {
        let x = GradientCheck.random(n * cin * h * w, seed: 1)
        let kernel = GradientCheck.random(cout * cin * 9, seed: 2)
        let bias = GradientCheck.random(cout, seed: 3)
        let y = try layers.convolutionForward(x: x, kernel: kernel, bias: bias, n: n, cin: cin, cout: cout, h: h, w: w,
                                              relu: false)
        var largest: Double = 0
        for b in 0..<n { for o in 0..<cout { for i in 0..<h { for j in 0..<w {
            var sum = Double(bias[o])
            for c in 0..<cin { for di in 0..<3 { for dj in 0..<3 {
                let (si, sj) = (i + di - 1, j + dj - 1)
                guard (0..<h).contains(si), (0..<w).contains(sj) else { continue }
                sum += Double(x[((b * cin + c) * h + si) * w + sj]) * Double(kernel[((o * cin + c) * 3 + di) * 3 + dj])
            } } }
            largest = max(largest, abs(sum - Double(y[((b * cout + o) * h + i) * w + j])))
        } } } }
        #expect(largest < 1e-5)
    }

    @Test func fusedReLUEqualsReLUOfConvolution() throws {
        let x = GradientCheck.random(n * cin * h * w, seed: 4)
        let kernel = GradientCheck.random(cout * cin * 9, seed: 5)
        let bias = GradientCheck.random(cout, seed: 6)
        let plain = try layers.convolutionForward(x: x, kernel: kernel, bias: bias, n: n, cin: cin, cout: cout, h: h, w: w,
                                                  relu: false)
        let fused = try layers.convolutionForward(x: x, kernel: kernel, bias: bias, n: n, cin: cin, cout: cout, h: h, w: w,
                                                  relu: true)
        #expect(fused == plain.map { max($0, 0) })
    }

    @Test func convolutionBackwardMatchesFiniteDifferences() throws {
        let x = GradientCheck.random(n * cin * h * w, seed: 7)
        let kernel = GradientCheck.random(cout * cin * 9, seed: 8)
        let bias = GradientCheck.random(cout, seed: 9)
        let dy = GradientCheck.random(n * cout * h * w, seed: 10)
        let grads = try layers.convolutionBackward(x: x, kernel: kernel, dy: dy, n: n, cin: cin, cout: cout, h: h, w: w)
        func loss(x: [Float], kernel: [Float], bias: [Float]) throws -> Double {
            GradientCheck.dot(try layers.convolutionForward(x: x, kernel: kernel, bias: bias, n: n, cin: cin, cout: cout,
                                                            h: h, w: w, relu: false), dy)
        }
        for i in stride(from: 0, to: x.count, by: 7) {
            let numeric = try GradientCheck.central(x, index: i, step: 1e-2) { try loss(x: $0, kernel: kernel, bias: bias) }
            #expect(GradientCheck.close(grads.dx[i], numeric, absolute: 1e-3, relative: 1e-3), "dx[\(i)]")
        }
        for i in stride(from: 0, to: kernel.count, by: 5) {
            let numeric = try GradientCheck.central(kernel, index: i, step: 1e-2) { try loss(x: x, kernel: $0, bias: bias) }
            #expect(GradientCheck.close(grads.dkernel[i], numeric, absolute: 1e-3, relative: 1e-3), "dkernel[\(i)]")
        }
        for i in 0..<cout {
            let numeric = try GradientCheck.central(bias, index: i, step: 1e-2) { try loss(x: x, kernel: kernel, bias: $0) }
            #expect(GradientCheck.close(grads.dbias[i], numeric, absolute: 1e-3, relative: 1e-3), "dbias[\(i)]")
        }
    }

    /// The ReLU's forward is the convolution's fused post-op (checked above);
    /// its backward reads only the output.
    @Test func reluBackwardFromOutputMatchesFiniteDifferences() throws {
        // Keep every input at least 0.05 from the kink at 0.
        let x = GradientCheck.random(40, seed: 11).map { $0 + ($0 >= 0 ? 0.05 : -0.05) }
        let dy = GradientCheck.random(40, seed: 12)
        func relu(_ x: [Float]) -> [Float] { x.map { max($0, 0) } }
        let dx = try layers.reluBackward(y: relu(x), dy: dy)
        for i in x.indices {
            let numeric = GradientCheck.central(x, index: i, step: 1e-2) { GradientCheck.dot(relu($0), dy) }
            #expect(GradientCheck.close(dx[i], numeric, absolute: 1e-4, relative: 1e-4), "dx[\(i)]")
        }
    }

    @Test func maxPoolBackwardMatchesFiniteDifferences() throws {
        // Odd H and W: the last row and column are dropped (floor).
        let (c, h, w) = (3, 5, 7)
        let x = GradientCheck.distinct(n * c * h * w, seed: 13, gap: 0.1)
        let dy = GradientCheck.random(n * c * (h / 2) * (w / 2), seed: 14)
        let (y, dx) = try layers.maxPool(x: x, dy: dy, n: n, c: c, h: h, w: w)
        #expect(y.count == dy.count)
        for i in x.indices {
            let numeric = try GradientCheck.central(x, index: i, step: 1e-2) {
                GradientCheck.dot(try layers.maxPool(x: $0, dy: dy, n: n, c: c, h: h, w: w).y, dy)
            }
            #expect(GradientCheck.close(dx[i], numeric, absolute: 1e-4, relative: 1e-4), "dx[\(i)]")
        }
    }
}
