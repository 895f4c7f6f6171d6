import Testing
@testable import KeepersMetrics

@Suite struct DecisionTests {
    @Test func confusionCountsScoreAtThresholdAsPositive() throws {
        let scores = [0.2, 0.5, 0.5, 0.9, 0.4]
        let labels = [false, true, false, true, true]
        // >= 0.5: 0.5 (+) tp, 0.5 (-) fp, 0.9 (+) tp; below: 0.2 (-) tn, 0.4 (+) fn.
        let matrix = try confusion(scores: scores, labels: labels, threshold: 0.5)
        #expect(matrix == Confusion(tp: 2, fp: 1, tn: 1, fn: 1))
        #expect(matrix.accuracy == 0.6)
        // Above every score all are called negative: only the 2 negatives are right.
        #expect(try accuracy(scores: scores, labels: labels, threshold: 0.95) == 0.4)
        // One class only is fine for accuracy.
        #expect(try accuracy(scores: [0.7, 0.1], labels: [true, true], threshold: 0.5) == 0.5)
    }

    @Test func youdenOnHandCase() throws {
        // Scores 0.9 ... 0.3, labels + + - + + - -  (4 positives, 3 negatives).
        // Threshold: tpr, fpr, J
        //   0.9: 1/4, 0,   0.25      0.6: 3/4, 1/3, 0.417
        //   0.8: 2/4, 0,   0.5       0.5: 1,   1/3, 0.667  <- maximum
        //   0.7: 2/4, 1/3, 0.167     0.4: 1,   2/3, 0.333;  0.3: 1, 1, 0
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
        let labels = [true, true, false, true, true, false, false]
        let best = try youdenPoint(scores: scores, labels: labels)
        #expect(best.threshold == 0.5)
        #expect(abs(best.j - 2.0 / 3.0) < 1e-12)
        #expect(best.confusion == Confusion(tp: 4, fp: 1, tn: 2, fn: 0))
        #expect(best.accuracy == 6.0 / 7.0)
        #expect(best.confusion == (try confusion(scores: scores, labels: labels, threshold: best.threshold)))
    }

    @Test func youdenTieTakesTheHigherThreshold() throws {
        // From the curve of [0.1, 0.4, 0.35, 0.8]: J is 0.5 at both 0.8 and
        // 0.35 (computed as 1/2 - 0 and 1 - 1/2); the higher one, 0.8, wins.
        let best = try youdenPoint(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        #expect(best.threshold == 0.8)
        #expect(best.confusion == Confusion(tp: 1, fp: 0, tn: 2, fn: 1))
        // J = 1/3 at 0.9 (1/3 - 0) and at 0.5 (1 - 2/3), which differ in
        // floating point; the exact comparison must still call it a tie.
        let third = try youdenPoint(scores: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
                                    labels: [true, false, false, true, true, false])
        #expect(third.threshold == 0.9)
    }

    @Test func invertedClassifierNeverPicksInfinity() throws {
        // Every J <= 0: 0.9 gives 0 - 1/2, 0.6 gives 0 - 1, 0.2 gives
        // 1/2 - 1, 0.1 gives 1 - 1 = 0. The +infinity start point also has
        // J = 0 and is higher, but is not a usable threshold.
        let best = try youdenPoint(scores: [0.9, 0.6, 0.2, 0.1], labels: [false, false, true, true])
        #expect(best.threshold.isFinite)
        #expect(best.threshold == 0.1)
        #expect(best.j == 0)
    }

    @Test func movingAverageIsTrailingAndKeepsLength() {
        // Window 3: [1], [1,2], [1,2,3], [2,3,4], [3,4,8].
        #expect(movingAverage([1, 2, 3, 4, 8], window: 3) == [1, 1.5, 2, 3, 5])
        #expect(movingAverage([4, 6], window: 1) == [4, 6])
        #expect(movingAverage([], window: 5) == [])
        // A NaN spoils only the windows containing it.
        let smoothed = movingAverage([1, .nan, 3, 5, 7], window: 2)
        #expect(smoothed[1].isNaN && smoothed[2].isNaN && smoothed[3] == 4 && smoothed[4] == 6)
    }
}
