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
    /// The flat kernel sums the same products as the row-by-row one, so
    /// every similarity is the same double: extreme cells (full-range
    /// gradients at the edges, where shifts run into the border) and scenes.
    @Test func flatKernelMatchesTheReferenceBitForBit() {
        var state: UInt64 = 7
        func cells(_ kind: Int) -> [UInt8] {
            (0..<(32 * 32)).map { index in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                switch kind {
                case 0: return UInt8(truncatingIfNeeded: state >> 56)
                case 1: return (index / 32 + index % 32).isMultiple(of: 2) ? 255 : 0
                default: return UInt8(truncatingIfNeeded: (index % 32) * 8 + Int(state >> 61))
                }
            }
        }
        var signatures = (0..<3).flatMap { kind in (0..<3).map { _ in VisualSignature(cells: cells(kind)) } }
        signatures += (1...4).map { signature(scene(seed: $0, dx: Double($0) * 3)) }
        for a in signatures {
            for b in signatures {
                #expect(a.similarity(to: b).bitPattern == a.referenceSimilarity(to: b).bitPattern)
                for threshold in [0.2, 0.5, 0.9] {
                    #expect(a.similarity(to: b, atLeast: threshold) == a.referenceSimilarity(to: b, atLeast: threshold))
                }
            }
        }
    }
}

/// The shift energies from the summed-area table against the cell-by-cell
/// sums they replaced: equal for every shift, on random fields with extreme
/// values, of both sizes a signature uses and of fields thinner than the shifts.
@Suite struct GradientFieldEnergyTests {
    @Test(arguments: [(32, 31, 3), (31, 32, 3), (16, 15, 2), (15, 16, 2), (2, 5, 3), (1, 1, 2)])
    func tableEnergiesEqualTheCellByCellSums(rows: Int, columns: Int, border: Int) {
        var random = SystemRandomNumberGenerator()
        let values = (0..<(rows * columns)).map { _ in Int16.random(in: -510...510, using: &random) }
        let field = GradientField(rows: rows, columns: columns, border: border) { values[$0 * columns + $1] }
        #expect(field.energies == field.referenceEnergies())
        #expect(field.energies[field.energies.count / 2] == values.reduce(0) { $0 + Int64($1) * Int64($1) })
    }

    @Test func aSignatureComparesAsBeforeAfterItsFieldsAreRebuilt() {
        let a = signature(scene(seed: 3)), b = signature(scene(seed: 3, dx: 6, gain: 1.2, blur: 1))
        #expect(a.similarity(to: b) == a.referenceSimilarity(to: b))
        #expect(a.similarity(to: b) > 0.5 && a.similarity(to: signature(scene(seed: 4))) < 0.32)
    }
}
