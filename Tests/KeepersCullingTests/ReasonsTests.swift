import Foundation
import KeepersNetwork
import Testing
@testable import KeepersCulling

@Suite struct ReasonsTests {
    static let k = ImageStatistics.count
    /// Keepers whose every statistic has median 10 and spread 1.
    static let good = GoodStatistics(median: [Float](repeating: 10, count: k), spread: [Float](repeating: 1, count: k), count: 50)

    static func photo(_ changes: [Int: Float]) -> [Float] {
        (0..<k).map { changes[$0] ?? 10 }
    }

    @Test func theStrongestDeviationComesFirst() {
        let finder = ReasonFinder(good: Self.good)
        // Mean luminance 6 spreads below the keepers, noise 3 above.
        let reasons = finder.reasons(statistics: Self.photo([4: 4, 15: 13]), score: 0.1, threshold: 0.5)
        #expect(reasons == [.dark, .noisy])
    }

    @Test func smallDeviationsAreNoReasonAndALowScoreIsThenUnlikeTheKeepers() {
        let finder = ReasonFinder(good: Self.good)
        #expect(finder.reasons(statistics: Self.photo([4: 8.5, 15: 11.5]), score: 0.1, threshold: 0.5) == [.unlike])
        #expect(finder.reasons(statistics: Self.photo([4: 8.5]), score: 0.9, threshold: 0.5) == [])
    }

    @Test func aModelFileWithoutGoodStatisticsGivesOnlyUnlikeYourKeepers() {
        let finder = ReasonFinder(good: nil)
        #expect(!finder.namesFaults)
        #expect(finder.reasons(statistics: Self.photo([4: 0]), score: 0.2, threshold: 0.5) == [.unlike])
        #expect(finder.reasons(statistics: nil, score: 0.7, threshold: 0.5) == [])
    }

    /// A narrower tonal range with dimmed highlights is under-exposure; with
    /// lifted blacks, haze: "low contrast" only in the second case.
    @Test func aRangeNarrowedByDimmedHighlightsIsTooDarkNotLowContrast() {
        let finder = ReasonFinder(good: Self.good)
        #expect(finder.reasons(statistics: Self.photo([10: 2, 11: -5]), score: 0.1, threshold: 0.5) == [.dark])
        #expect(finder.reasons(statistics: Self.photo([6: 16, 11: -5]), score: 0.1, threshold: 0.5) == [.lowContrast])
        #expect(finder.reasons(statistics: Self.photo([13: 40, 6: 14, 11: -5]), score: 0.1, threshold: 0.5) == [.highlights])
        // Brighter with lifted blacks and nothing clipped: haze.
        #expect(finder.reasons(statistics: Self.photo([4: 14, 6: 16, 11: -5]), score: 0.1, threshold: 0.5) == [.lowContrast])
    }

    /// Reasons explain low scores: a kept photo has none, whatever it deviates in.
    @Test func aPhotoAtOrAboveTheThresholdHasNoReasons() {
        let finder = ReasonFinder(good: Self.good)
        #expect(finder.reasons(statistics: Self.photo([4: 0]), score: 0.5, threshold: 0.5) == [])
    }

    @Test func atMostThreeReasons() {
        let finder = ReasonFinder(good: Self.good)
        let reasons = finder.reasons(statistics: Self.photo([0: 0, 4: 1, 5: 2, 15: 21, 24: 16]), score: 0.1, threshold: 0.5)
        #expect(reasons == [.noisy, .soft, .dark])
    }

    /// The head's own attribution: a deviation the additive model does not
    /// hold against the photo (its term is flat there) is no reason.
    @Test func aDeviationTheModelDoesNotPenaliseIsNoReason() throws {
        var knots: [Float] = [], coefficients: [Float] = []
        for _ in 0..<Self.k { knots += (0..<11).map { Float($0 - 5) } }
        for f in 0..<Self.k {
            // Statistic 4 (mean luminance): a term rising with the value, so darker pulls down; all others flat.
            coefficients += (0..<7).map { f == 4 ? Float($0) : 0 }
        }
        let additive = try AdditiveLogistic(features: Self.k, knots: knots, coefficients: coefficients, intercept: 0)
        let normalisation = StatisticsNormalisation(mean: [Float](repeating: 10, count: Self.k),
                                                    std: [Float](repeating: 1, count: Self.k))
        let finder = ReasonFinder(good: Self.good, normalisation: normalisation, additive: additive)
        #expect(finder.reasons(statistics: Self.photo([4: 6, 15: 14]), score: 0.1, threshold: 0.5) == [.dark])
        #expect(finder.reasons(statistics: Self.photo([15: 14]), score: 0.1, threshold: 0.5) == [.unlike])
    }

    @Test func wordsAreAPhotographersAndJoinWithSemicolons() {
        #expect(Reason.text([.soft, .highlights, .unlike]) == "soft or blurred; blown highlights; unlike your keepers")
        #expect(Reason.allCases.map(\.words).count == Set(Reason.allCases.map(\.words)).count)
    }
}
