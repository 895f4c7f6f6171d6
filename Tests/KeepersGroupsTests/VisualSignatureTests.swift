import KeepersImaging
import KeepersTestSupport
import Testing
@testable import KeepersGroups

func scene(seed: Int, width: Int = 480, height: Int = 320, dx: Double = 0, gain: Double = 1, blur: Int = 0) -> [UInt8] {
    Fixtures.scene(seed: seed, width: width, height: height, dx: dx, gain: gain, blur: blur).pixels
}

func signature(_ pixels: [UInt8], width: Int = 480, height: Int = 320) -> VisualSignature {
    VisualSignature(rgb: pixels, width: width, height: height)
}

@Suite struct VisualSignatureTests {
    @Test func identicalIsOneAndFlatIsZero() {
        let a = signature(scene(seed: 1))
        #expect(abs(a.similarity(to: a) - 1) < 1e-12)
        let flat = signature([UInt8](repeating: 128, count: 480 * 320 * 3))
        #expect(flat.similarity(to: a) == 0)
    }

    @Test func burstFramesLookAlikeUnrelatedScenesDoNot() {
        let base = signature(scene(seed: 7))
        let shifted = signature(scene(seed: 7, dx: 14))  // 3% of the width
        let darker = signature(scene(seed: 7, gain: 0.5))
        let shaken = signature(scene(seed: 7, blur: 12))
        for frame in [shifted, darker, shaken] { #expect(base.similarity(to: frame) >= 0.5) }
        for seed in 8...13 { #expect(base.similarity(to: signature(scene(seed: seed))) < 0.4, "scene \(seed)") }
    }

    @Test func theCoarseGateAgreesWithTheFullComparison() {
        let base = signature(scene(seed: 21))
        let frames = [signature(scene(seed: 21, dx: 12)), signature(scene(seed: 21, gain: 0.6)),
                      signature(scene(seed: 21, blur: 10))] + (22...30).map { signature(scene(seed: $0)) }
        for (index, frame) in frames.enumerated() {
            for threshold in [0.4, 0.5] {
                #expect(base.isSimilar(to: frame, threshold: threshold) == (base.similarity(to: frame) >= threshold),
                        "frame \(index) at \(threshold)")
            }
        }
        #expect(frames.prefix(3).allSatisfy { base.isSimilar(to: $0, threshold: 0.5) })
    }

    @Test func symmetricAndIndependentOfPixelCount() {
        let a = signature(scene(seed: 3)), b = signature(scene(seed: 3, dx: 9))
        #expect(a.similarity(to: b) == b.similarity(to: a))
        // The same scene at half the resolution has nearly the same cells.
        let small = signature(scene(seed: 3, width: 240, height: 160), width: 240, height: 160)
        #expect(a.similarity(to: small) > 0.9)
    }

    @Test func base64RoundTripsAndRejectsWrongSizes() {
        let a = signature(scene(seed: 5))
        #expect(VisualSignature(base64: a.base64) == a)
        #expect(VisualSignature(base64: "AAAA") == nil)
        #expect(VisualSignature(base64: "not base64") == nil)
    }

    @Test func imagesNarrowerThanTheGridStillGetASignature() {
        let tiny = VisualSignature(rgb: [UInt8](repeating: 200, count: 5 * 3 * 3), width: 5, height: 3)
        #expect(tiny.cells.allSatisfy { $0 == 200 })
    }
}
