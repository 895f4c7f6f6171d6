import KeepersCore
import Testing
@testable import KeepersNetwork

@Suite struct AdditiveLogisticTests {
    func rows(_ n: Int, features: Int, seed: UInt64) -> [Float] {
        var random = SequentialRandom(seed: seed)
        return (0..<(n * features)).map { _ in Float(random.gaussian()) }
    }

    func auc(_ scores: [Float], _ labels: [Float]) -> Double {
        var (pairs, wins) = (0.0, 0.0)
        for (s, y) in zip(scores, labels) where y == 1 {
            for (t, z) in zip(scores, labels) where z == 0 { pairs += 1; wins += s > t ? 1 : (s == t ? 0.5 : 0) }
        }
        return wins / pairs
    }

    /// Inside the knots the cubic bases sum to 1; beyond them the model is constant.
    @Test func basesPartitionUnityAndClampBeyondTheKnots() {
        let knots = AdditiveLogistic.featureKnots((0..<100).map { Float($0) / 10 }, count: 5)
        #expect(knots.count == 5 + 2 * AdditiveLogistic.degree)
        for x: Float in [0, 0.5, 2.475, 5, 9.9] {
            let values = AdditiveLogistic.basis(x, knots: knots[...])
            #expect(values.count == 7 && abs(values.reduce(0, +) - 1) < 1e-12 && values.allSatisfy { $0 >= 0 })
        }
        #expect(AdditiveLogistic.basis(-50, knots: knots[...]) == AdditiveLogistic.basis(0, knots: knots[...]))
        #expect(AdditiveLogistic.basis(50, knots: knots[...]) == AdditiveLogistic.basis(9.9, knots: knots[...]))
        // Tied quantiles (a statistic that is mostly 0) still give increasing knots.
        let tied = AdditiveLogistic.featureKnots([Float](repeating: 0, count: 90) + (1...10).map(Float.init), count: 5)
        #expect(zip(tied, tied.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Good when a statistic is in a middle band (neither too dark nor too
    /// bright): no linear model ranks that, the additive one must, on new rows.
    @Test func learnsABandThatNoLinearModelCan() throws {
        let label = { (row: ArraySlice<Float>) -> Float in abs(row[row.startIndex + 1]) < 0.6 ? 1 : 0 }
        let (train, test) = (rows(400, features: 3, seed: 1), rows(300, features: 3, seed: 2))
        let labels = (0..<400).map { label(train[($0 * 3)..<($0 * 3 + 3)]) }
        let model = try AdditiveLogistic.fit(rows: train, labels: labels, features: 3, settings: AdditiveSettings())
        let testLabels = (0..<300).map { label(test[($0 * 3)..<($0 * 3 + 3)]) }
        let scores = (0..<300).map { model.logit(test[($0 * 3)..<($0 * 3 + 3)]) }
        #expect(auc(scores, testLabels) > 0.9)
    }

    /// The fit is the minimum of C * log-loss + |coefficients|^2 / 2: no
    /// small step along any coefficient lowers it.
    @Test func theFitIsThePenalisedOptimum() throws {
        let x = rows(200, features: 2, seed: 3)
        let labels = (0..<200).map { i -> Float in
            let (a, b) = (x[i * 2], x[i * 2 + 1])
            return a + 0.5 * b * b > 0.3 ? 1 : 0
        }
        var settings = AdditiveSettings()
        settings.c = 0.5
        let model = try AdditiveLogistic.fit(rows: x, labels: labels, features: 2, settings: settings)
        func objective(_ m: AdditiveLogistic) -> Double {
            var loss = 0.0
            for i in 0..<200 {
                let logit = Double(m.logit(x[(i * 2)..<(i * 2 + 2)]))
                loss += binaryCrossEntropy(logit: logit, label: Double(labels[i]))
            }
            var penalty = 0.0
            for c in m.coefficients { penalty += Double(c) * Double(c) }
            return settings.c * loss + 0.5 * penalty
        }
        let best = objective(model)
        for j in 0...model.coefficients.count {
            for delta: Float in [-0.01, 0.01] {
                var coefficients = model.coefficients
                var intercept = model.intercept
                if j < coefficients.count { coefficients[j] += delta } else { intercept += delta }
                let moved = try AdditiveLogistic(features: 2, knots: model.knots, coefficients: coefficients, intercept: intercept)
                #expect(objective(moved) >= best - 1e-6, "coefficient \(j) moved by \(delta) lowers the objective")
            }
        }
    }

    @Test func fittingIsDeterministicAndRefusesOneClass() throws {
        let x = rows(100, features: 4, seed: 4)
        let labels = (0..<100).map { Float($0 % 3 == 0 ? 1 : 0) }
        #expect(try AdditiveLogistic.fit(rows: x, labels: labels, features: 4, settings: AdditiveSettings())
            == AdditiveLogistic.fit(rows: x, labels: labels, features: 4, settings: AdditiveSettings()))
        #expect(throws: NetworkError.self) {
            try AdditiveLogistic.fit(rows: x, labels: [Float](repeating: 0, count: 100), features: 4, settings: AdditiveSettings())
        }
    }
}
