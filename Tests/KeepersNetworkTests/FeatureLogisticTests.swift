import KeepersCore
import Testing
@testable import KeepersNetwork

@Suite struct FeatureLogisticTests {
    /// More features than rows, as 1,280 backbone features on a few hundred
    /// photos: labels from a few of them plus noise, and an offset that
    /// explains part of the labels, as the additive model's logit does.
    static func problem(n: Int, p: Int, seed: UInt64) -> (rows: [Float], labels: [Float], offsets: [Float]) {
        var random = SequentialRandom(seed: seed)
        let rows = (0..<(n * p)).map { _ in Float(random.gaussian() * 2 + 1) }
        var labels: [Float] = [], offsets: [Float] = []
        for i in 0..<n {
            let offset = Float(random.gaussian())
            let signal = (rows[i * p] - rows[i * p + 1] + 0.5 * rows[i * p + 2] - 0.5) / 2 + offset
            labels.append(signal + Float(random.gaussian()) * 0.7 > 0 ? 1 : 0)
            offsets.append(offset)
        }
        return (rows, labels, offsets)
    }

    /// At the minimum of C * sum(log-loss) + |w|^2 / 2 the gradient is zero:
    /// C * Z^T (p - y) + w = 0 for the weights and sum(p - y) = 0 for the intercept.
    @Test(arguments: [0.003, 0.1])
    func fitIsStationary(c: Double) throws {
        let (n, p) = (120, 300)
        let data = Self.problem(n: n, p: p, seed: 7)
        let model = try FeatureLogistic.fit(rows: data.rows, labels: data.labels, offsets: data.offsets, features: p, c: c)
        let logits = model.logits(data.rows, n: n)
        let residuals = (0..<n).map { Double(sigmoid(logits[$0] + data.offsets[$0])) - Double(data.labels[$0]) }
        #expect(abs(residuals.reduce(0, +)) < 1e-3)
        var worst = 0.0
        for j in 0..<p {
            var sum = Double(model.weights[j])
            for i in 0..<n { sum += c * Double((data.rows[i * p + j] - model.mean[j]) / model.scale[j]) * residuals[i] }
            worst = max(worst, abs(sum))
        }
        #expect(worst < 1e-3, "largest gradient component \(worst)")
        #expect(model.weights.contains { abs($0) > 1e-3 })  // it did learn something
    }

    /// The offset is part of the fit: labels that the offset alone explains
    /// leave the features with almost nothing to do, and the same labels
    /// without the offset make the features carry the signal.
    @Test func offsetsAreTakenIntoAccount() throws {
        let (n, p) = (200, 20)
        var random = SequentialRandom(seed: 3)
        let rows = (0..<(n * p)).map { _ in Float(random.gaussian()) }
        let labels = (0..<n).map { rows[$0 * p] > 0 ? Float(1) : 0 }
        let explained = labels.map { $0 == 1 ? Float(8) : -8 }
        let withOffset = try FeatureLogistic.fit(rows: rows, labels: labels, offsets: explained, features: p, c: 1)
        let without = try FeatureLogistic.fit(rows: rows, labels: labels, offsets: [Float](repeating: 0, count: n),
                                              features: p, c: 1)
        #expect(abs(withOffset.weights[0]) < 0.1 * abs(without.weights[0]))
        #expect(without.weights[0] > 1)
    }

    @Test func deterministicAndRefusesOneClass() throws {
        let data = Self.problem(n: 60, p: 40, seed: 11)
        let a = try FeatureLogistic.fit(rows: data.rows, labels: data.labels, offsets: data.offsets, features: 40, c: 0.01)
        let b = try FeatureLogistic.fit(rows: data.rows, labels: data.labels, offsets: data.offsets, features: 40, c: 0.01)
        #expect(a == b)
        #expect(throws: NetworkError.self) {
            try FeatureLogistic.fit(rows: data.rows, labels: [Float](repeating: 1, count: 60), offsets: data.offsets,
                                    features: 40, c: 0.01)
        }
    }
}
