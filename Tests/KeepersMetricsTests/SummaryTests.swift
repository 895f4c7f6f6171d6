import Foundation
import KeepersCore
import Testing
@testable import KeepersMetrics

@Suite struct SummaryTests {
    @Test func summaryAgreesWithTheIndividualMetrics() throws {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
        let labels = [true, true, false, true, true, false, false]
        let summary = try MetricsSummary(scores: scores, labels: labels, bootstrap: 300, seed: 3,
                                         steps: 1200, parameters: 45_000)
        #expect(summary.auc == (try rocAUC(scores: scores, labels: labels)))
        // Pairs: 12 positive-negative, of which the positive wins 10 -> 10/12.
        #expect(abs(summary.auc - 10.0 / 12.0) < 1e-15)
        #expect(summary.aucCILow <= summary.auc && summary.auc <= summary.aucCIHigh)
        // >= 0.5: + + - + +  -> tp 4, fp 1; below: - - -> tn 2.
        #expect(summary.confusionAt05 == Confusion(tp: 4, fp: 1, tn: 2, fn: 0))
        #expect(summary.youdenThreshold == 0.5)
        #expect(summary.accuracyAtYouden == 6.0 / 7.0)
        #expect(summary.countPositive == 4 && summary.countNegative == 3)
        #expect(summary.bootstrap == 300 && summary.steps == 1200 && summary.parameters == 45_000)
    }

    @Test func jsonUsesSnakeCaseKeysAndRoundTrips() throws {
        let (scores, labels) = tiedSample(count: 60, seed: 1)
        let summary = try MetricsSummary(scores: scores, labels: labels, bootstrap: 50, seed: 2,
                                         steps: 10, parameters: 99)
        let data = CanonicalJSON.encode(summary)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expected: Set = ["auc", "auc_ci_low", "auc_ci_high", "bootstrap", "bootstrap_seed",
                             "accuracy_at_0_5", "confusion_at_0_5", "youden_threshold", "youden_j",
                             "accuracy_at_youden", "confusion_at_youden", "count_positive",
                             "count_negative", "steps", "parameters"]
        #expect(Set(object.keys) == expected)
        #expect(Set((object["confusion_at_0_5"] as? [String: Int] ?? [:]).keys) == ["tp", "fp", "tn", "fn"])
        #expect(try JSONDecoder().decode(MetricsSummary.self, from: data) == summary)
    }
}
