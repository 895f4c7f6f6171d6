import KeepersCore

/// Finite-difference helpers shared by the gradient tests.
enum GradientCheck {
    /// Uniform values in [-scale, scale) from a seeded sequence.
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var random = SequentialRandom(seed: seed)
        return (0..<count).map { _ in Float(random.unit() * 2 - 1) * scale }
    }

    /// Values whose pairwise gaps are at least `gap` (a shuffled ladder), so a
    /// small perturbation never changes which element a max-pool picks.
    static func distinct(_ count: Int, seed: UInt64, gap: Float) -> [Float] {
        var random = SequentialRandom(seed: seed)
        let ladder = (0..<count).map { Float($0 - count / 2) * gap }
        return ladder.shuffled(using: &random)
    }

    /// Sum of weights[i] * values[i] in Double: a scalar whose gradient with
    /// respect to `values` is `weights`, used to pull an arbitrary dy through a layer.
    static func dot(_ values: [Float], _ weights: [Float]) -> Double {
        zip(values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Central difference (f(x + h e_i) - f(x - h e_i)) / 2h.
    static func central(_ x: [Float], index: Int, step: Float, _ f: ([Float]) throws -> Double) rethrows -> Double {
        var plus = x, minus = x
        plus[index] += step
        minus[index] -= step
        // The perturbation actually applied, after float32 rounding.
        let applied = Double(plus[index]) - Double(minus[index])
        return (try f(plus) - f(minus)) / applied
    }

    /// |analytic - numeric| within an absolute floor plus a relative share:
    /// float32 forward passes round at about 1e-7 relative, which central
    /// differences amplify by 1 / (2 step).
    static func close(_ analytic: Float, _ numeric: Double, absolute: Double, relative: Double) -> Bool {
        abs(Double(analytic) - numeric) <= absolute + relative * abs(numeric)
    }
}
