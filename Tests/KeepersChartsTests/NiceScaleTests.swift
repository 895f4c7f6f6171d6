import Foundation
import Testing
@testable import KeepersCharts

@Suite struct NiceScaleTests {
    @Test(arguments: [(0.0, 1.0), (0, 0.73), (-3.2, 17), (1200, 10_000), (0.0012, 0.0047), (0.62, 0.91),
                      (5, 5), (0, 0), (-0.5, -0.1), (3, 250_000), (0.693, 0.12)])
    func ticksAreNiceAndCoverTheRange(minimum: Double, maximum: Double) {
        let scale = NiceScale(minimum: minimum, maximum: maximum)
        #expect([1, 2, 5].contains(scale.stepMantissa))
        #expect(scale.lower <= min(minimum, maximum) && scale.upper >= max(minimum, maximum))
        #expect(scale.lower < scale.upper)
        #expect((3...11).contains(scale.tickCount), "\(scale.tickCount) ticks for \(minimum)...\(maximum)")
        let ticks = scale.ticks
        #expect(ticks.first == scale.lower && ticks.last == scale.upper)
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(abs(b - a - scale.step) < scale.step * 1e-9) }
        // Every tick is a whole multiple of the step.
        for tick in ticks {
            let multiple = tick / scale.step
            #expect(abs(multiple - multiple.rounded()) < 1e-9)
        }
    }

    @Test func knownRanges() {
        #expect(NiceScale(minimum: 0, maximum: 1).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceScale(minimum: 0, maximum: 0.73).ticks == [0, 0.2, 0.4, 0.6, 0.8])
        #expect(NiceScale(minimum: -3.2, maximum: 17).ticks == [-5, 0, 5, 10, 15, 20])
        #expect(NiceScale(minimum: 1200, maximum: 10_000).ticks == [0, 2000, 4000, 6000, 8000, 10_000])
        #expect(NiceScale(minimum: 0.0012, maximum: 0.0047).ticks == [0.001, 0.002, 0.003, 0.004, 0.005])
        // The ticks are the doubles nearest the decimals, not sums of steps.
        #expect(NiceScale(minimum: 0.62, maximum: 0.91).ticks == [0.6, 0.7, 0.8, 0.9, 1])
        #expect(NiceScale(minimum: 0.62, maximum: 0.81).ticks == [0.6, 0.65, 0.7, 0.75, 0.8, 0.85])
    }

    @Test func labelsUseTheStepsDecimalsAndSuffixes() {
        let unit = NiceScale(minimum: 0, maximum: 1)
        #expect(unit.ticks.map(unit.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let fine = NiceScale(minimum: 0.62, maximum: 0.81)
        #expect(fine.label(0.7) == "0.70" && fine.label(0.65) == "0.65")
        let batches = NiceScale(minimum: 0, maximum: 20_000)
        #expect(batches.ticks.map(batches.label) == ["0", "5k", "10k", "15k", "20k"])
        #expect(NiceScale(minimum: 0, maximum: 8000).label(6000) == "6000")
        #expect(NiceScale(minimum: 0, maximum: 3e7).label(2e7) == "20M")
        let negative = NiceScale(minimum: -1, maximum: 1)
        #expect(negative.label(-0.0) == "0.0" && negative.label(-0.5) == "-0.5")
    }

    @Test func decimalFormatting() {
        #expect(formatDecimal(0.9124, decimals: 3) == "0.912")
        #expect(formatDecimal(-0.0001, decimals: 2) == "0.00")
        #expect(formatDecimal(.nan, decimals: 2) == "NaN")
        #expect(groupedThousands(1_234_567) == "1,234,567")
        #expect(groupedThousands(999) == "999" && groupedThousands(-1000) == "-1,000" && groupedThousands(0) == "0")
    }
}
