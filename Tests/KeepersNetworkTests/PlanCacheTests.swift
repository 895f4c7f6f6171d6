import Foundation
import KeepersCore
import Testing
@testable import KeepersNetwork

/// Plans are kept for the shapes used most recently only (`PlanCache`):
/// replanning a shape must give the same logits, bit for bit.
struct PlanCacheTests {
    static func input(seed: UInt64, batch: Int, height: Int, width: Int) -> [Float] {
        var state = seed
        return (0..<(batch * 3 * height * width)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
    }

    @Test func aLimitOfOneGivesTheSameLogitsAsTheDefaultAcrossShapes() throws {
        // Shapes met in turn, some again after their plan was dropped.
        let shapes = [(2, 48, 64), (1, 64, 48), (2, 48, 64), (1, 40, 72), (1, 64, 48), (2, 48, 64)]
        let kept = try Network(seed: 5, threads: 1)
        let lean = try Network(seed: 5, threads: 1)
        lean.planLimit = 1
        for (index, (batch, height, width)) in shapes.enumerated() {
            let input = Self.input(seed: UInt64(index % 3), batch: batch, height: height, width: width)
            let expected = try kept.predictLogits(input: input, batch: batch, height: height, width: width)
            let got = try lean.predictLogits(input: input, batch: batch, height: height, width: width)
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "shape \(index)")
            #expect(lean.plannedShapes == 1)
        }
        #expect(kept.plannedShapes == 3)
    }

    @Test func theLeastRecentlyUsedShapeGoesFirst() throws {
        let network = try Network(seed: 5, threads: 1)
        network.planLimit = 2
        for (height, width) in [(32, 48), (48, 32), (32, 48), (40, 40)] {
            _ = try network.predictLogits(input: Self.input(seed: 1, batch: 1, height: height, width: width),
                                          batch: 1, height: height, width: width)
        }
        #expect(network.plannedShapes == 2)
        #expect(!network.kernelNames(batch: 1, height: 32, width: 48, training: false).isEmpty)
        #expect(network.kernelNames(batch: 1, height: 48, width: 32, training: false).isEmpty)
    }
}
