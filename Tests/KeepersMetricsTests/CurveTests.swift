import Testing
@testable import KeepersMetrics

@Suite struct CurveTests {
    @Test func handCaseCurve() throws {
        // Descending: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-); 2 of each class.
        let curve = try ROCCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        #expect(curve.points.map(\.threshold) == [.infinity, 0.8, 0.4, 0.35, 0.1])
        #expect(curve.points.map(\.fpr) == [0, 0, 0.5, 0.5, 1])
        #expect(curve.points.map(\.tpr) == [0, 0.5, 0.5, 1, 1])
    }

    @Test func tiedScoresMakeOneDiagonalStep() throws {
        // 0.7 (+), then 0.5 holds one positive and one negative, then 0.2 (-):
        // the tie moves from (0, 0.5) to (0.5, 1) in a single point.
        let curve = try ROCCurve(scores: [0.5, 0.5, 0.2, 0.7], labels: [true, false, false, true])
        #expect(curve.points.map(\.threshold) == [.infinity, 0.7, 0.5, 0.2])
        #expect(curve.points.map(\.fpr) == [0, 0, 0.5, 1])
        #expect(curve.points.map(\.tpr) == [0, 0.5, 1, 1])
        #expect(curve.trapezoidalArea == 0.875)
    }

    @Test func curveRunsFromOriginToOneOneAndAreaIsAUC() throws {
        for seed: UInt64 in 11...14 {
            let (scores, labels) = tiedSample(count: 300, seed: seed)
            let curve = try ROCCurve(scores: scores, labels: labels)
            #expect(curve.points.first.map { ($0.fpr, $0.tpr) } ?? (-1, -1) == (0, 0))
            #expect(curve.points.last.map { ($0.fpr, $0.tpr) } ?? (-1, -1) == (1, 1))
            #expect(curve.points.count == Set(scores).count + 1)
            // Thresholds strictly decrease; rates never decrease.
            for (a, b) in zip(curve.points, curve.points.dropFirst()) {
                #expect(a.threshold > b.threshold && a.fpr <= b.fpr && a.tpr <= b.tpr)
            }
            #expect(abs(curve.trapezoidalArea - (try rocAUC(scores: scores, labels: labels))) < 1e-12)
        }
    }
}
