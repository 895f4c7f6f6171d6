/// A logistic regression on many standardised features whose logit adds to
/// another model's: the backbone's 1,280 ImageNet features on top of the
/// statistics' additive model (`model.backbone`, docs/model.md).
///   logit(x) = sum_j weights[j] * (x[j] - mean[j]) / scale[j] + intercept
/// Fitted to minimise C * sum(log-loss of offset + logit) + |weights|^2 / 2
/// (the intercept unpenalised) by truncated Newton: each Newton step solved
/// by conjugate gradients with Hessian-vector products, two passes over the
/// data each, so the cost is O(n * p) per product and never O(p^3) (a
/// Cholesky of 1,280 x 1,280 per step, as the additive model does with its
/// 176 coefficients, would take seconds). Hand-written: no package this
/// project may use fits one. Sequential loops: bitwise deterministic.
public struct FeatureLogistic: Sendable, Equatable {
    public let mean: [Float], scale: [Float], weights: [Float]
    public let intercept: Float
    public var features: Int { weights.count }

    public init(mean: [Float], scale: [Float], weights: [Float], intercept: Float) throws {
        guard mean.count == weights.count, scale.count == weights.count, scale.allSatisfy({ $0 > 0 }) else {
            throw NetworkError.invalidModel("feature logistic: \(mean.count) means, \(scale.count) scales (all > 0) "
                                            + "and \(weights.count) weights")
        }
        (self.mean, self.scale, self.weights, self.intercept) = (mean, scale, weights, intercept)
    }

    public func logit(_ row: ArraySlice<Float>) -> Float {
        var sum = Double(intercept)
        for (j, value) in row.enumerated() { sum += Double(weights[j]) * Double((value - mean[j]) / scale[j]) }
        return Float(sum)
    }

    /// Logits of `n` rows (n, p).
    public func logits(_ rows: [Float], n: Int) -> [Float] {
        (0..<n).map { logit(rows[($0 * features)..<(($0 + 1) * features)]) }
    }

    /// Fits to `rows` (n, p) and `labels` (n, 0 or 1), each row's logit added
    /// to `offsets` (n) during the fit.
    public static func fit(rows: [Float], labels: [Float], offsets: [Float], features p: Int, c: Double) throws
        -> FeatureLogistic {
        let n = labels.count
        guard n > 0, p > 0, rows.count == n * p, offsets.count == n else {
            throw NetworkError.invalidInput("\(rows.count) values and \(offsets.count) offsets for \(n) rows of \(p) features")
        }
        let positives = labels.reduce(0, +)
        guard positives > 0, positives < Float(n) else {
            throw NetworkError.invalidInput("the backbone's model needs both classes among the \(n) training images")
        }
        // Standardise: mean and spread of each feature (spread floored, for constant features).
        var mean = [Double](repeating: 0, count: p), spread = [Double](repeating: 0, count: p)
        for i in 0..<n { for j in 0..<p { mean[j] += Double(rows[i * p + j]) } }
        for j in 0..<p { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<p { let d = Double(rows[i * p + j]) - mean[j]; spread[j] += d * d } }
        let scale = spread.map { max(($0 / Double(n)).squareRoot(), 1e-6) }
        var z = [Double](repeating: 0, count: n * p)
        for i in 0..<n { for j in 0..<p { z[i * p + j] = (Double(rows[i * p + j]) - mean[j]) / scale[j] } }
        let problem = Problem(z: z, y: labels.map(Double.init), offsets: offsets.map(Double.init), n: n, p: p, c: c)
        let beta = problem.minimise()
        return try FeatureLogistic(mean: mean.map { Float($0) }, scale: scale.map { Float($0) },
                                   weights: beta.dropLast().map { Float($0) }, intercept: Float(beta[p]))
    }

    /// The penalised log-loss over beta = (weights, intercept).
    private struct Problem {
        let z: [Double], y: [Double], offsets: [Double]
        let n: Int, p: Int
        let c: Double

        func margins(_ beta: [Double]) -> [Double] {
            (0..<n).map { i in
                var sum = offsets[i] + beta[p]
                for j in 0..<p { sum += z[i * p + j] * beta[j] }
                return sum
            }
        }

        func objective(_ beta: [Double]) -> Double {
            let loss = zip(margins(beta), y).reduce(0) { $0 + binaryCrossEntropy(logit: $1.0, label: $1.1) }
            return c * loss + 0.5 * beta.prefix(p).reduce(0) { $0 + $1 * $1 }
        }

        /// X^T v over the (weights, intercept) columns, scaled by C.
        func transposeTimes(_ v: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: p + 1)
            for i in 0..<n where v[i] != 0 {
                for j in 0..<p { out[j] += z[i * p + j] * v[i] }
                out[p] += v[i]
            }
            return out.map { c * $0 }
        }

        /// X d (without offsets).
        func times(_ d: [Double]) -> [Double] {
            (0..<n).map { i in
                var sum = d[p]
                for j in 0..<p { sum += z[i * p + j] * d[j] }
                return sum
            }
        }

        func minimise() -> [Double] {
            var beta = [Double](repeating: 0, count: p + 1)
            var current = objective(beta)
            for _ in 0..<50 {
                let probabilities = margins(beta).map(sigmoid)
                var gradient = transposeTimes(zip(probabilities, y).map { $0 - $1 })
                for j in 0..<p { gradient[j] += beta[j] }
                let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm < 1e-6 * Double(n) * c + 1e-10 { break }
                let curvature = probabilities.map { $0 * (1 - $0) }
                // H d = C X^T W X d + d (weights only), plus a touch on the intercept so H stays definite.
                let hessianTimes: ([Double]) -> [Double] = { d in
                    let xd = times(d)
                    var out = transposeTimes(zip(curvature, xd).map { $0 * $1 })
                    for j in 0..<p { out[j] += d[j] }
                    out[p] += 1e-8 * d[p]
                    return out
                }
                let step = conjugateGradient(hessianTimes, gradient, tolerance: min(0.5, norm.squareRoot()) * norm)
                var scale = 1.0, next = beta, value = current
                repeat {
                    next = zip(beta, step).map { $0 - scale * $1 }
                    value = objective(next)
                    scale /= 2
                } while value > current && scale > 1e-6
                guard value <= current else { break }
                let improvement = current - value
                (beta, current) = (next, value)
                if improvement < 1e-10 * max(1, abs(current)) { break }
            }
            return beta
        }

        /// Solves A x = b approximately (|A x - b| <= tolerance, at most 100 iterations).
        func conjugateGradient(_ a: ([Double]) -> [Double], _ b: [Double], tolerance: Double) -> [Double] {
            var x = [Double](repeating: 0, count: b.count)
            var r = b, d = b
            var rr = r.reduce(0) { $0 + $1 * $1 }
            for _ in 0..<100 where rr.squareRoot() > tolerance {
                let ad = a(d)
                let alpha = rr / zip(d, ad).reduce(0) { $0 + $1.0 * $1.1 }
                for k in x.indices { x[k] += alpha * d[k]; r[k] -= alpha * ad[k] }
                let next = r.reduce(0) { $0 + $1 * $1 }
                let beta = next / rr
                for k in d.indices { d[k] = r[k] + beta * d[k] }
                rr = next
            }
            return x
        }
    }
}
