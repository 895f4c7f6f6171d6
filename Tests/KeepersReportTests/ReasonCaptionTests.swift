import KeepersCulling
import Testing
@testable import KeepersReport

/// The reasons of misclassified sample photos: the first in the grid's
/// caption, all of them in the figure's caption on the page.
@Suite struct ReasonCaptionTests {
    static func photo(_ source: String, positive: Bool, score: Double, reasons: [Reason]) -> ScoredPhoto {
        var photo = ScoredPhoto(id: source, source: source, label: positive ? "good" : "bad", isPositive: positive, score: score)
        photo.reasons = reasons
        return photo
    }

    @Test func aMisclassifiedPhotosCaptionAddsItsFirstReason() {
        #expect(SampleGrid.captionText(Self.photo("a.jpg", positive: true, score: 0.213, reasons: [.dark, .noisy]))
                == "0.213  good  too dark")
        // Correctly classified: the caption stays the score and the class.
        #expect(SampleGrid.captionText(Self.photo("b.jpg", positive: false, score: 0.1, reasons: [.soft])) == "0.100  bad")
    }

    @Test func theFigureCaptionListsEveryReasonOfTheMisclassified() {
        let text = misclassifiedReasons([Self.photo("a.jpg", positive: true, score: 0.213, reasons: [.dark, .noisy]),
                                         Self.photo("b.jpg", positive: true, score: 0.9, reasons: [])])
        #expect(text.hasSuffix("a.jpg (0.213, good): too dark; noisy."))
        #expect(!text.contains("b.jpg"))
        #expect(misclassifiedReasons([Self.photo("b.jpg", positive: true, score: 0.9, reasons: [])]) == "")
    }
}
