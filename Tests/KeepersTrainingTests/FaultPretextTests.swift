import KeepersCore
import KeepersNetwork
import Testing
@testable import KeepersTraining

@Suite struct FaultPretextTests {
    /// A 24x32 image (3, H, W) of network input: a bright square on a darker gradient.
    static func image(height: Int = 24, width: Int = 32) -> [Float] {
        var values = [Float](repeating: 0, count: 3 * height * width)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let square = (8..<16).contains(y) && (10..<20).contains(x)
                    values[(c * height + y) * width + x] = square ? 0.4 : Float(x) / Float(width) * 0.3 - 0.3 + Float(c) * 0.05
                }
            }
        }
        return values
    }

    static func applied(_ degradation: Degradation, to image: [Float], height: Int = 24, width: Int = 32) -> [Float] {
        var copy = image
        copy.withUnsafeMutableBufferPointer { degradation.apply(to: $0.baseAddress!, height: height, width: width) }
        return copy
    }

    /// Mean squared difference between horizontal neighbours: what blur takes away.
    static func detail(_ image: [Float], height: Int = 24, width: Int = 32) -> Float {
        var sum: Float = 0
        for row in 0..<(3 * height) {
            for x in 1..<width { let d = image[row * width + x] - image[row * width + x - 1]; sum += d * d }
        }
        return sum
    }

    @Test func everyKindChangesThePhotoStaysInRangeAndRepeatsExactly() {
        let original = Self.image()
        let pretext = FaultPretext(seed: 7)
        var kinds: Set<String> = []
        for step in 0..<40 {
            let degradation = pretext.degradation(step: step, pair: 0, pairs: 2)
            #expect(degradation == pretext.degradation(step: step, pair: 0, pairs: 2))
            kinds.insert(String(describing: degradation).split(separator: "(")[0].description)
            let degraded = Self.applied(degradation, to: original)
            #expect(degraded != original, "\(degradation) left the photo unchanged")
            #expect(degraded.allSatisfy { $0 >= -0.5 && $0 <= 0.5 }, "\(degradation) left the input range")
            #expect(degraded.map(\.bitPattern) == Self.applied(degradation, to: original).map(\.bitPattern))
        }
        #expect(kinds.count == Degradation.kinds, "kinds drawn: \(kinds.sorted())")
    }

    @Test func blursLoseDetailAndExposureMovesTheMean() {
        let original = Self.image()
        for blur in [Degradation.gaussianBlur(sigma: 1.5), .motionBlur(length: 5, angle: 0), .blocks(factor: 4),
                     .localBlur(sigma: 2, centreX: 0.5, centreY: 0.5, radiusX: 0.3, radiusY: 0.3)] {
            #expect(Self.detail(Self.applied(blur, to: original)) < 0.9 * Self.detail(original), "\(blur)")
        }
        let mean = { (image: [Float]) in image.reduce(0, +) / Float(image.count) }
        #expect(mean(Self.applied(.exposure(gain: 0.5), to: original)) < mean(original) - 0.05)
        #expect(mean(Self.applied(.exposure(gain: 1.8), to: original)) > mean(original) + 0.05)
        // A rotation by 0 degrees is the identity; by 5 it moves the square's edges.
        #expect(Self.applied(.rotation(degrees: 0), to: original).map { ($0 * 1e4).rounded() } == original.map { ($0 * 1e4).rounded() })
        #expect(Self.applied(.rotation(degrees: 5), to: original) != original)
    }

    @Test func rankingLossCountsPairsPastTheMarginAndPushesTheRestApart() {
        let (loss, ranked, dlogits) = FaultPretext.rankingLoss(logits: [3, 1, 0.5, 0.2])
        #expect(ranked == 1)
        #expect(abs(loss - 0.35) < 1e-6)  // (1 - 0.3) / 2 pairs
        #expect(dlogits == [0, 0, -0.5, 0.5])
        // An odd batch: the last photo has no copy and gets no gradient.
        #expect(FaultPretext.rankingLoss(logits: [0, 0, 5]).dlogits == [-1, 1, 0])
        #expect(FaultPretext.slots([4, 9, 2], batchSize: 5) == [4, 4, 9, 9, 2])
    }
}
