import Foundation
import Testing
@testable import KeepersNetwork

/// The Swift head: global average pooling, dense, sigmoid + binary cross-entropy.
@Suite struct HeadTests {
    let n = 3, c = 4, s = 5

    @Test func globalAveragePoolBackwardIsMaskedMean() throws {
        // F away from 0, so the ReLU mask folded into the backward is fixed.
        let features = GradientCheck.random(n * c * s, seed: 1).map { $0 + ($0 >= 0 ? 0.05 : -0.05) }
        let dpooled = GradientCheck.random(n * c, seed: 2)
        func loss(_ f: [Float]) -> Double {
            var pooled = [Float](repeating: 0, count: n * c)
            globalAveragePoolForward(&pooled, f.map { max($0, 0) }, n: n, c: c, s: s)
            return GradientCheck.dot(pooled, dpooled)
        }
        var dfeatures = [Float](repeating: 0, count: n * c * s)
        globalAveragePoolBackward(&dfeatures, dpooled, features, n: n, c: c, s: s)
        for i in features.indices {
            let numeric = GradientCheck.central(features, index: i, step: 1e-2, loss)
            #expect(GradientCheck.close(dfeatures[i], numeric, absolute: 1e-4, relative: 1e-3), "dF[\(i)]")
        }
    }

    @Test func linearBackwardMatchesFiniteDifferences() throws {
        let outputs = 3
        let input = GradientCheck.random(n * c, seed: 3)
        let kernel = GradientCheck.random(outputs * c, seed: 4)
        let bias = GradientCheck.random(outputs, seed: 6)
        let dout = GradientCheck.random(n * outputs, seed: 5)
        func loss(_ x: [Float], _ k: [Float], _ b: [Float]) -> Double {
            var out = [Float](repeating: 0, count: n * outputs)
            linearForward(&out, x, kernel: k, bias: b, n: n, inputs: c, outputs: outputs)
            return GradientCheck.dot(out, dout)
        }
        var dinput = [Float](repeating: 9, count: n * c), dkernel = [Float](repeating: 9, count: outputs * c)
        var dbias = [Float](repeating: 9, count: outputs)
        linearBackward(dinput: &dinput, dkernel: &dkernel, dbias: &dbias, dout: dout, input: input, kernel: kernel,
                       n: n, inputs: c, outputs: outputs)
        for i in input.indices {
            let numeric = GradientCheck.central(input, index: i, step: 1e-2) { loss($0, kernel, bias) }
            #expect(GradientCheck.close(dinput[i], numeric, absolute: 1e-4, relative: 1e-3))
        }
        for i in kernel.indices {
            let numeric = GradientCheck.central(kernel, index: i, step: 1e-2) { loss(input, $0, bias) }
            #expect(GradientCheck.close(dkernel[i], numeric, absolute: 1e-4, relative: 1e-3))
        }
        for i in bias.indices {
            let numeric = GradientCheck.central(bias, index: i, step: 1e-2) { loss(input, kernel, $0) }
            #expect(GradientCheck.close(dbias[i], numeric, absolute: 1e-4, relative: 1e-3))
        }
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() throws {
        let logits: [Float] = [-3, -0.5, 0, 0.7, 4]
        let labels: [Float] = [0, 1, 1, 0, 1]
        var dlogits = [Float](repeating: 0, count: logits.count)
        binaryCrossEntropyBackward(dlogits: &dlogits, logits: logits, labels: labels, n: logits.count)
        for i in logits.indices {
            let numeric = GradientCheck.central(logits, index: i, step: 1e-2) { x in
                Double(binaryCrossEntropyForward(logits: x, labels: labels, n: x.count))
            }
            #expect(GradientCheck.close(dlogits[i], numeric, absolute: 1e-4, relative: 1e-3))
        }
    }

    @Test func crossEntropyIsStableForLargeLogits() {
        for x: Float in [-100, -30, -1, 0, 1, 30, 100] {
            for y: Float in [0, 1] {
                let loss = binaryCrossEntropy(logit: x, label: y)
                #expect(loss.isFinite && loss >= 0)
                // The textbook form, in Double: y log(1 + e^-x) + (1 - y) log(1 + e^x).
                let (xd, yd) = (Double(x), Double(y))
                let expected = yd * log1p(exp(-xd)) + (1 - yd) * log1p(exp(xd))
                #expect(abs(Double(loss) - expected) <= 1e-6 * max(1, expected), "x \(x) y \(y)")
                #expect(sigmoid(x).isFinite)
            }
        }
        #expect(binaryCrossEntropy(logit: 100, label: 0) == 100)
        #expect(binaryCrossEntropy(logit: -100, label: 1) == 100)
        #expect(sigmoid(-100) > 0 && sigmoid(-100) < 1e-37)
        #expect(sigmoid(100) == 1)
    }
}
