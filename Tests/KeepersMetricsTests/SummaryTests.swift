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

@Suite struct KeyNumberTests {
    @Test func rowsShowTheSummaryReadably() {
        let summary = MetricsSummary(
            auc: 0.91234, aucCILow: 0.8512, aucCIHigh: 0.9601, bootstrap: 1000, bootstrapSeed: 1,
            accuracyAt05: 0.8413, confusionAt05: Confusion(tp: 40, fp: 5, tn: 30, fn: 8),
            youdenThreshold: 0.4371, youdenJ: 0.6234, accuracyAtYouden: 0.8675,
            confusionAtYouden: Confusion(tp: 44, fp: 7, tn: 28, fn: 4), countPositive: 48,
            countNegative: 35, steps: 12_000, parameters: 1_234_567)
        let rows = Dictionary(uniqueKeysWithValues: summary.keyNumbers().map { ($0.name, $0.value) })
        #expect(rows["Test ROC AUC"] == "0.912 (95% CI 0.85-0.96, 1,000 bootstrap resamples)")
        #expect(rows["Accuracy at threshold 0.5"] == "84.1% (TP 40, FP 5, TN 30, FN 8)")
        #expect(rows["Youden threshold"] == "0.437 (J = 0.623)")
        #expect(rows["Accuracy at Youden threshold"] == "86.8% (TP 44, FP 7, TN 28, FN 4)")
        #expect(rows["Test photos"] == "83 (48 good, 35 bad)")
        #expect(rows["Training steps"] == "12,000" && rows["Model parameters"] == "1,234,567")
        #expect(summary.keyNumbers().count == 7)
    }

    @Test func groupsThousands() {
        #expect(grouped(0) == "0" && grouped(999) == "999" && grouped(1000) == "1,000")
        #expect(grouped(-1_234_567) == "-1,234,567" && grouped(100_000) == "100,000")
    }

    @Test func curveRatesFeedTheChart() throws {
        let curve = try ROCCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        #expect(curve.rates.map(\.fpr) == [0, 0, 0.5, 0.5, 1])
        #expect(curve.rates.map(\.tpr) == [0, 0.5, 0.5, 1, 1])
    }
}
