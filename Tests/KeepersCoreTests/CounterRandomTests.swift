import Testing
@testable import KeepersCore

@Suite struct CounterRandomTests {
    @Test func drawsArePureFunctionsOfSeedStreamAndCounter() {
        let a = CounterRandom(seed: 7), b = CounterRandom(seed: 7)
        #expect(a.bits(stream: 3, counter: 11) == b.bits(stream: 3, counter: 11))
        #expect(a.bits(stream: 3, counter: 11) != a.bits(stream: 3, counter: 12))
        #expect(a.bits(stream: 3, counter: 11) != a.bits(stream: 4, counter: 11))
        #expect(a.bits(stream: 3, counter: 11) != CounterRandom(seed: 8).bits(stream: 3, counter: 11))
    }

    @Test func unitDrawsAreUniformEnough() {
        let rng = CounterRandom(seed: 1)
        var buckets = [Int](repeating: 0, count: 10)
        for i in 0..<100_000 { buckets[Int(rng.unit(stream: 0, counter: UInt64(i)) * 10)] += 1 }
        for count in buckets { #expect(abs(count - 10_000) < 500) }
    }

    @Test func belowStaysInRange() {
        let rng = CounterRandom(seed: 2)
        var seen = Set<Int>()
        for i in 0..<1000 {
            let v = rng.below(7, stream: 1, counter: UInt64(i))
            #expect((0..<7).contains(v))
            seen.insert(v)
        }
        #expect(seen.count == 7)
    }

    @Test func gaussianHasUnitVariance() {
        var rng = SequentialRandom(seed: 3)
        let values = (0..<50_000).map { _ in rng.gaussian() }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
    }
}
