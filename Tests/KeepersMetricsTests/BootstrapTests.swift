import KeepersCore
import Testing
@testable import KeepersMetrics

/// Classes drawn from N(separation, 1) and N(0, 1): true AUC Phi(sep / sqrt 2).
func gaussianSample(perClass: Int, separation: Double, seed: UInt64) -> (scores: [Double], labels: [Bool]) {
    var rng = SequentialRandom(seed: seed)
    let positives = (0..<perClass).map { _ in rng.gaussian() + separation }
    let negatives = (0..<perClass).map { _ in rng.gaussian() }
    return (positives + negatives, Array(repeating: true, count: perClass) + Array(repeating: false, count: perClass))
}

@Suite struct BootstrapTests {
    @Test func intervalContainsTheAUCAndNarrowsWithMoreData() throws {
        let small = gaussianSample(perClass: 40, separation: 1, seed: 5)
        let large = gaussianSample(perClass: 1000, separation: 1, seed: 5)
        let smallCI = try bootstrapAUC(scores: small.scores, labels: small.labels, resamples: 500, seed: 1)
        let largeCI = try bootstrapAUC(scores: large.scores, labels: large.labels, resamples: 500, seed: 1)
        for (data, ci) in [(small, smallCI), (large, largeCI)] {
            let auc = try rocAUC(scores: data.scores, labels: data.labels)
            #expect(ci.low < auc && auc < ci.high)
        }
        // Width shrinks like 1/sqrt(n): 25 times the data, about a fifth.
        let ratio = (largeCI.high - largeCI.low) / (smallCI.high - smallCI.low)
        #expect(ratio > 0.1 && ratio < 0.35)
        // Population AUC for separation 1 is Phi(1/sqrt 2) = 0.7602.
        #expect(largeCI.low < 0.7602 && 0.7602 < largeCI.high)
    }

    @Test func isAPureFunctionOfTheSeed() throws {
        let data = gaussianSample(perClass: 60, separation: 0.5, seed: 2)
        let a = try bootstrapAUC(scores: data.scores, labels: data.labels, resamples: 200, seed: 7)
        let b = try bootstrapAUC(scores: data.scores, labels: data.labels, resamples: 200, seed: 7)
        let c = try bootstrapAUC(scores: data.scores, labels: data.labels, resamples: 200, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.resamples == 200 && a.seed == 7 && a.level == 0.95)
    }

    @Test func resamplesAreStratifiedAndWeightedAUCIsExact() throws {
        let (scores, labels) = tiedSample(count: 90, seed: 3)
        let data = try LabelledScores(scores: scores, labels: labels)
        let groups = data.tieGroups()
        let resampler = StratifiedResampler(data: data, groups: groups, seed: 4)
        for b: UInt64 in 0..<20 {
            let weights = resampler.multiplicities(resample: b)
            // Materialise the resample and score it with the rank formula.
            var rScores: [Double] = [], rLabels: [Bool] = []
            for (position, weight) in weights.enumerated() where weight > 0 {
                let index = groups.order[position]
                rScores += Array(repeating: scores[index], count: weight)
                rLabels += Array(repeating: labels[index], count: weight)
            }
            #expect(rLabels.filter { $0 }.count == data.positives)
            #expect(rLabels.filter { !$0 }.count == data.negatives)
            #expect(abs(resampler.weightedAUC(weights: weights) - (try rocAUC(scores: rScores, labels: rLabels))) < 1e-12)
        }
        // All weights one is the data itself.
        let ones = [Int](repeating: 1, count: scores.count)
        #expect(abs(resampler.weightedAUC(weights: ones) - (try rocAUC(scores: scores, labels: labels))) < 1e-12)
    }

    @Test func quantileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 25) = 1.75; 97.5 -> 3.925.
        #expect(quantile(sortedValues: [1, 2, 3, 4], 0.25) == 1.75)
        #expect(abs(quantile(sortedValues: [1, 2, 3, 4], 0.975) - 3.925) < 1e-12)
        #expect(quantile(sortedValues: [5], 0.025) == 5)
    }

    @Test func rejectsBadParameters() {
        #expect(throws: MetricsError.self) {
            try bootstrapAUC(scores: [0.1, 0.9], labels: [false, true], resamples: 0, seed: 1)
        }
        #expect(throws: MetricsError.self) {
            try bootstrapAUC(scores: [0.1, 0.9], labels: [false, true], resamples: 10, seed: 1, level: 1)
        }
        #expect(throws: MetricsError.singleClass(positives: 0, negatives: 2)) {
            try bootstrapAUC(scores: [0.1, 0.9], labels: [false, false], resamples: 10, seed: 1)
        }
    }
}
