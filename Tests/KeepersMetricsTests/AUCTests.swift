import KeepersCore
import Testing
@testable import KeepersMetrics

/// Brute force over all (positive, negative) pairs: the definition that the
/// O(n log n) rank formula must reproduce.
func pairwiseAUC(_ scores: [Double], _ labels: [Bool]) -> Double {
    var wins = 0.0, pairs = 0.0
    for i in scores.indices where labels[i] {
        for j in scores.indices where !labels[j] {
            pairs += 1
            if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
        }
    }
    return wins / pairs
}

/// Scores on a coarse grid so that many ties fall across the classes.
func tiedSample(count: Int, seed: UInt64) -> (scores: [Double], labels: [Bool]) {
    var rng = SequentialRandom(seed: seed)
    var scores: [Double] = [], labels: [Bool] = []
    for i in 0..<count {
        let positive = i % 3 != 0
        labels.append(positive)
        scores.append(((rng.gaussian() + (positive ? 0.8 : 0)) * 4).rounded() / 4)
    }
    return (scores, labels)
}

@Suite struct AUCTests {
    @Test func handCaseWithoutTies() throws {
        // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs: 0.35>0.1 (1),
        // 0.35<0.4 (0), 0.8>0.1 (1), 0.8>0.4 (1) -> 3/4.
        #expect(try rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
    }

    @Test func tieAcrossClassesCountsHalf() throws {
        // Positives 0.5, 0.7; negatives 0.5, 0.2. Pairs: 0.5=0.5 (1/2),
        // 0.5>0.2 (1), 0.7>0.5 (1), 0.7>0.2 (1) -> 3.5/4 = 0.875.
        #expect(try rocAUC(scores: [0.5, 0.5, 0.2, 0.7], labels: [true, false, false, true]) == 0.875)
        // Positives 0.3, 0.1; negatives 0.3, 0.3, 0.6. Pairs: 0.3 ties two
        // negatives (1/2 + 1/2), loses to 0.6; 0.1 loses all three -> 1/6.
        let auc = try rocAUC(scores: [0.3, 0.3, 0.3, 0.6, 0.1], labels: [true, false, false, false, true])
        #expect(abs(auc - 1.0 / 6.0) < 1e-15)
        // Every score equal: every pair is a tie -> 1/2.
        #expect(try rocAUC(scores: [0.4, 0.4, 0.4], labels: [true, false, true]) == 0.5)
    }

    @Test func perfectAndInvertedClassifiers() throws {
        let labels = [false, false, true, true, true]
        #expect(try rocAUC(scores: [0.1, 0.2, 0.7, 0.8, 0.9], labels: labels) == 1)
        #expect(try rocAUC(scores: [0.9, 0.8, 0.3, 0.2, 0.1], labels: labels) == 0)
    }

    @Test func matchesPairwiseDefinitionOnTiedRandomData() throws {
        for seed: UInt64 in 1...5 {
            let (scores, labels) = tiedSample(count: 150 + Int(seed) * 17, seed: seed)
            #expect(Set(scores).count < scores.count / 3, "sample must actually contain ties")
            #expect(abs(try rocAUC(scores: scores, labels: labels) - pairwiseAUC(scores, labels)) < 1e-12)
        }
    }

    @Test func doesNotDependOnInputOrder() throws {
        let (scores, labels) = tiedSample(count: 200, seed: 9)
        let reversed = try rocAUC(scores: scores.reversed(), labels: labels.reversed())
        #expect(try rocAUC(scores: scores, labels: labels) == reversed)
    }

    @Test func singleClassIsAnError() {
        #expect(throws: MetricsError.singleClass(positives: 3, negatives: 0)) {
            try rocAUC(scores: [0.1, 0.5, 0.9], labels: [true, true, true])
        }
        #expect(throws: MetricsError.singleClass(positives: 0, negatives: 2)) {
            try ROCCurve(scores: [0.1, 0.5], labels: [false, false])
        }
        #expect(MetricsError.singleClass(positives: 0, negatives: 2).description.contains("both classes"))
    }

    @Test func malformedInputIsAnError() {
        #expect(throws: MetricsError.lengthMismatch(scores: 2, labels: 1)) {
            try rocAUC(scores: [0.1, 0.2], labels: [true])
        }
        #expect(throws: MetricsError.empty) { try rocAUC(scores: [], labels: []) }
        #expect(throws: MetricsError.nonFiniteScore(index: 1)) {
            try rocAUC(scores: [0.1, .nan, 0.3], labels: [true, false, true])
        }
    }
}
