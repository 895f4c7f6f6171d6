import Foundation
import KeepersCore

/// A generalised additive model of the statistics: each standardised
/// statistic through its own cubic B-spline basis (knots at quantiles of the
/// training values, constant beyond the outer ones), and one logistic
/// regression with an L2 penalty over every basis value (docs/model.md,
/// "additive"). Each statistic may bend its own way (too dark and too bright
/// both bad), but statistics do not interact: on photos of places the model
/// never saw, this ranked best of the heads screened (docs/quality-benchmark.md).
///
/// Written here because no package this project may use fits one; the
/// basis is scikit-learn's SplineTransformer (quantile knots, constant
/// extrapolation) and the fit its LogisticRegression (C, lbfgs), solved by
/// Newton's method, sequential and so bitwise deterministic.
public struct AdditiveLogistic: Sendable, Equatable {
    public static let degree = 3
    public let features: Int
    /// (features, knotsPerFeature): each statistic's full knot vector, the
    /// quantile knots with `degree` more on each side at the outer spacing.
    public let knots: [Float]
    /// (features, basesPerFeature) coefficients, then nothing else: `intercept` is apart.
    public let coefficients: [Float]
    public let intercept: Float

    public var knotsPerFeature: Int { knots.count / features }
    public var basesPerFeature: Int { knotsPerFeature - Self.degree - 1 }

    public init(features: Int, knots: [Float], coefficients: [Float], intercept: Float) throws {
        guard features > 0, knots.count % features == 0, knots.count / features > 2 * Self.degree + 1,
              coefficients.count == features * (knots.count / features - Self.degree - 1) else {
            throw NetworkError.invalidModel("\(knots.count) knots and \(coefficients.count) coefficients do not fit \(features) statistics")
        }
        for f in 0..<features {
            let row = knots[(f * (knots.count / features))..<((f + 1) * (knots.count / features))]
            guard zip(row, row.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw NetworkError.invalidModel("the knots of statistic \(f) do not increase")
            }
        }
        self.features = features
        self.knots = knots
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// The logit of one row of `features` standardised statistics.
    public func logit(_ row: ArraySlice<Float>) -> Float {
        precondition(row.count == features, "\(row.count) values for a model of \(features) statistics")
        var sum = Double(intercept)
        let (k, b) = (knotsPerFeature, basesPerFeature)
        for f in 0..<features {
            let values = Self.basis(row[row.startIndex + f], knots: knots[(f * k)..<((f + 1) * k)])
            for j in 0..<b { sum += Double(coefficients[f * b + j]) * values[j] }
        }
        return Float(sum)
    }

    /// What statistic `f` alone adds to the logit at the standardised value
    /// `x`: the logit is `intercept` plus the sum of these over the statistics.
    public func contribution(_ x: Float, statistic f: Int) -> Double {
        let (k, b) = (knotsPerFeature, basesPerFeature)
        let values = Self.basis(x, knots: knots[(f * k)..<((f + 1) * k)])
        return (0..<b).reduce(0) { $0 + Double(coefficients[f * b + $1]) * values[$1] }
    }

    /// The B-spline basis values of x (Cox-de Boor), x clamped into the
    /// quantile knots' range so the model is constant beyond it.
    static func basis(_ x: Float, knots: ArraySlice<Float>) -> [Double] {
        let t = Array(knots).map(Double.init)
        let d = degree
        let value = min(max(Double(x), t[d]), t[t.count - d - 1])
        // Degree 0: the one interval [t_i, t_i+1) holding x; x is clamped, so
        // it lies in the quantile knots' intervals, the last of them closed.
        let last = t.count - d - 2
        var b = (0..<(t.count - 1)).map { i -> Double in
            i <= last && value >= t[i] && (value < t[i + 1] || (i == last && value == t[i + 1])) ? 1 : 0
        }
        for p in 1...d {
            b = (0..<(t.count - 1 - p)).map { i in
                let left = t[i + p] > t[i] ? (value - t[i]) / (t[i + p] - t[i]) * b[i] : 0
                let right = t[i + p + 1] > t[i + 1] ? (t[i + p + 1] - value) / (t[i + p + 1] - t[i + 1]) * b[i + 1] : 0
                return left + right
            }
        }
        return b
    }
}

extension AdditiveLogistic {
    /// Fits the model to rows (n, features) of standardised statistics and labels (0 or 1).
    public static func fit(rows: [Float], labels: [Float], features: Int, settings: AdditiveSettings) throws -> AdditiveLogistic {
        let n = labels.count
        guard n > 0, rows.count == n * features else {
            throw NetworkError.invalidInput("\(rows.count) values for \(n) rows of \(features) statistics")
        }
        let positives = labels.reduce(0, +)
        guard positives > 0, positives < Float(n) else {
            throw NetworkError.invalidInput("the additive model needs both classes among the \(n) training images")
        }
        var knots: [Float] = []
        for f in 0..<features { knots += featureKnots((0..<n).map { rows[$0 * features + f] }, count: settings.knots) }
        let perFeature = knots.count / features
        let bases = perFeature - degree - 1
        // The design matrix (n, features * bases + 1), the last column 1 for the intercept.
        let width = features * bases + 1
        var design = [Double](repeating: 0, count: n * width)
        for i in 0..<n {
            for f in 0..<features {
                let values = basis(rows[i * features + f], knots: knots[(f * perFeature)..<((f + 1) * perFeature)])
                for j in 0..<bases { design[i * width + f * bases + j] = values[j] }
            }
            design[i * width + width - 1] = 1
        }
        let beta = try newton(design: design, labels: labels.map(Double.init), n: n, width: width, c: settings.c)
        return try AdditiveLogistic(features: features, knots: knots, coefficients: beta.dropLast().map { Float($0) },
                                    intercept: Float(beta[width - 1]))
    }

    /// `count` knots at evenly spaced quantiles of `values` (linear
    /// interpolation, as numpy's percentile), ties pushed apart by 1e-3 so
    /// they increase, then `degree` more each side at the outer spacings.
    static func featureKnots(_ values: [Float], count: Int) -> [Float] {
        let sorted = values.map(Double.init).sorted()
        var base = (0..<count).map { q -> Double in
            let position = Double(q) / Double(count - 1) * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        for i in 1..<base.count where base[i] < base[i - 1] + 1e-3 { base[i] = base[i - 1] + 1e-3 }
        let (first, last) = (base[1] - base[0], base[count - 1] - base[count - 2])
        let before = (1...degree).reversed().map { base[0] - Double($0) * first }
        let after = (1...degree).map { base[count - 1] + Double($0) * last }
        return (before + base + after).map { Float($0) }
    }

    /// Minimises C * sum(log-loss) + |beta|^2 / 2 (the intercept, the last
    /// coefficient, unpenalised) by Newton steps with step halving.
    static func newton(design x: [Double], labels y: [Double], n: Int, width: Int, c: Double) throws -> [Double] {
        var beta = [Double](repeating: 0, count: width)
        func objective(_ beta: [Double]) -> Double {
            var total = 0.0
            for i in 0..<n {
                var z = 0.0
                for j in 0..<width { z += x[i * width + j] * beta[j] }
                total += binaryCrossEntropy(logit: z, label: y[i])
            }
            return c * total + 0.5 * beta.dropLast().reduce(0) { $0 + $1 * $1 }
        }
        var current = objective(beta)
        for _ in 0..<100 {
            var gradient = beta.enumerated().map { $0.offset == width - 1 ? 0 : $0.element }
            var hessian = [Double](repeating: 0, count: width * width)
            for j in 0..<(width - 1) { hessian[j * width + j] = 1 }
            hessian[width * width - 1] = 1e-8
            for i in 0..<n {
                let row = x[(i * width)..<((i + 1) * width)]
                var z = 0.0
                for (j, value) in row.enumerated() { z += value * beta[j] }
                let p = sigmoid(z)
                let (g, w) = (c * (p - y[i]), c * p * (1 - p))
                for (j, value) in row.enumerated() where value != 0 {
                    gradient[j] += g * value
                    for (k, other) in row.enumerated() where other != 0 { hessian[j * width + k] += w * value * other }
                }
            }
            let step = try solveSymmetric(hessian, gradient, size: width)
            var scale = 1.0
            var next = beta, value = current
            repeat {
                next = zip(beta, step).map { $0 - scale * $1 }
                value = objective(next)
                scale /= 2
            } while value > current && scale > 1e-6
            guard value <= current else { break }
            let change = zip(next, beta).map { abs($0 - $1) }.max() ?? 0
            (beta, current) = (next, value)
            if change < 1e-7 { break }
        }
        return beta
    }

    /// Solves A x = b for a symmetric positive definite A (size x size) by Cholesky.
    static func solveSymmetric(_ a: [Double], _ b: [Double], size: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = a[i * size + j]
                for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
                if i == j {
                    guard sum > 0 else { throw NetworkError.invalidInput("the additive model's Newton system is not positive definite") }
                    l[i * size + i] = sum.squareRoot()
                } else {
                    l[i * size + j] = sum / l[j * size + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * size + k] * y[k] }
            y[i] = sum / l[i * size + i]
        }
        var solution = [Double](repeating: 0, count: size)
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<size { sum -= l[k * size + i] * solution[k] }
            solution[i] = sum / l[i * size + i]
        }
        return solution
    }
}
