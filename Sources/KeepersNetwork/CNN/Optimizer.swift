import Foundation
import KeepersCore

/// Adam or SGD with momentum, with its state as flat arrays parallel to the
/// network's flat parameter vector, so an update is one loop and a checkpoint
/// is a few arrays. The formulas are PyTorch's (torch.optim.Adam / SGD), with
/// decoupled weight decay as in torch.optim.AdamW: p -= lr * decay * p first.
public struct Optimizer: Sendable, Equatable {
    public let kind: OptimizerKind
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Decoupled weight decay (0 = plain Adam / SGD).
    public var weightDecay: Float = 0
    /// SGD momentum (Adam ignores it).
    public var momentum: Float
    /// Updates applied so far (Adam's bias correction depends on it).
    public private(set) var step: Int = 0
    /// Adam's first moment m, or SGD's momentum buffer; empty until the first update.
    public private(set) var firstMoment: [Float] = []
    /// Adam's second moment v; empty for SGD and until the first update.
    public private(set) var secondMoment: [Float] = []

    public init(kind: OptimizerKind = .adam, learningRate: Float = 1e-3, momentum: Float = 0.9) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Restores state saved from `step`, `firstMoment` and `secondMoment`.
    public mutating func restore(step: Int, firstMoment: [Float], secondMoment: [Float]) {
        self.step = step
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    mutating func update(
        _ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>, decayed: [Range<Int>] = []
    ) throws {
        let count = parameters.count
        if firstMoment.isEmpty { firstMoment = [Float](repeating: 0, count: count) }
        if kind == .adam, secondMoment.isEmpty { secondMoment = [Float](repeating: 0, count: count) }
        guard firstMoment.count == count, kind == .sgd || secondMoment.count == count else {
            throw NetworkError.invalidParameters("optimiser state has \(firstMoment.count) values, network \(count)")
        }
        step += 1
        if weightDecay > 0 {
            let shrink = 1 - learningRate * weightDecay
            for range in decayed { for i in range { parameters[i] *= shrink } }
        }
        switch kind {
        case .adam: adamUpdate(parameters, gradients)
        case .sgd: sgdUpdate(parameters, gradients)
        }
    }

    private mutating func adamUpdate(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let (b1, b2, lr, eps) = (beta1, beta2, learningRate, epsilon)
        let correction1 = 1 - pow(b1, Float(step))
        let correction2Root = (1 - pow(b2, Float(step))).squareRoot()
        let stepSize = lr / correction1
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                for i in 0..<p.count {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
                }
            }
        }
    }

    private mutating func sgdUpdate(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
        let (mu, lr) = (momentum, learningRate)
        firstMoment.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<p.count {
                buffer[i] = mu * buffer[i] + g[i]
                p[i] -= lr * buffer[i]
            }
        }
    }
}
