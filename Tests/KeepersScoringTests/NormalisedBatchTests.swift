import KeepersCore
import KeepersImaging
import KeepersTestSupport
import Testing
@testable import KeepersScoring

/// Predict writes a batch's network input in place; it must be the images'
/// own normalisations one after the other, as the shard reader gives them.
@Suite struct NormalisedBatchTests {
    @Test func aBatchIsItsImagesNormalisedOneAfterTheOther() {
        let images = (1...3).map { Fixtures.scene(seed: $0, width: 24, height: 16) }
        let expected = images.flatMap { InputNormalisation.normalised($0.pixels, height: $0.height, width: $0.width) }
        #expect(Predictor.normalisedBatch(images) == expected)
        #expect(Predictor.normalisedBatch([]).isEmpty)
    }
}
