import Testing
@testable import KeepersNetwork

@Suite struct OptimizerTests {
    @Test func adamFirstStepMovesEachParameterByTheLearningRate() throws {
        var parameters: [Float] = [1, -2, 0.5]
        let gradients: [Float] = [0.3, -4, 1e-3]
        var adam = Optimizer()
        try parameters.withUnsafeMutableBufferPointer { p in
            try gradients.withUnsafeBufferPointer { try adam.update(p, gradients: $0) }
        }
        // Bias-corrected m / sqrt(v) is sign(g) on the first step.
        for (value, expected) in zip(parameters, [Float(1 - 1e-3), Float(-2 + 1e-3), Float(0.5 - 1e-3)]) {
            #expect(abs(value - expected) < 1e-6)
        }
        #expect(adam.step == 1)
    }

    @Test func sgdWithMomentumFollowsPyTorch() throws {
        var parameters: [Float] = [1]
        var sgd = Optimizer(kind: .sgd, learningRate: 0.1, momentum: 0.9)
        for _ in 0..<2 {
            try parameters.withUnsafeMutableBufferPointer { p in
                try [Float(2)].withUnsafeBufferPointer { try sgd.update(p, gradients: $0) }
            }
        }
        // buf1 = 2, p = 1 - 0.2; buf2 = 0.9 * 2 + 2 = 3.8, p = 0.8 - 0.38.
        #expect(abs(parameters[0] - 0.42) < 1e-6)
    }

    /// AdamW: p <- p (1 - lr wd) before the Adam step, on the decayed ranges only.
    @Test func decoupledWeightDecayShrinksOnlyTheDecayedRanges() throws {
        var parameters: [Float] = [2, 2, 2]
        var adam = Optimizer(learningRate: 0.1)
        adam.weightDecay = 0.5
        try parameters.withUnsafeMutableBufferPointer { p in
            try [Float](repeating: 0, count: 3).withUnsafeBufferPointer { try adam.update(p, gradients: $0, decayed: [0..<2]) }
        }
        // A zero gradient leaves Adam's own step at 0: only the decay moves p.
        let shrunk: Float = 2 * (1 - Float(0.1) * Float(0.5))
        #expect(parameters == [shrunk, shrunk, 2])
    }
}
