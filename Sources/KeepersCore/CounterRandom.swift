import Foundation

/// Counter-based random numbers: each value is a pure function of
/// (seed, stream, counter), so any draw can be recomputed without replaying
/// the draws before it. This is what makes "batch k" of training and the
/// split of a photo reproducible after an interruption.
///
/// The mixer is SplitMix64's finaliser applied twice with distinct keys; it is
/// not cryptographic, only well distributed. Written by hand because no listed
/// package offers a counter-based generator.
public struct CounterRandom: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    public func bits(stream: UInt64, counter: UInt64) -> UInt64 {
        let a = Self.mix(seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1))
        return Self.mix(a ^ Self.mix(counter &+ 0xD1B5_4A32_D192_ED03))
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    public func unit(stream: UInt64, counter: UInt64) -> Double {
        Double(bits(stream: stream, counter: counter) >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound (bound > 0), by Lemire's multiply-shift
    /// (bias below 2^-32 for the small bounds used here).
    public func below(_ bound: Int, stream: UInt64, counter: UInt64) -> Int {
        precondition(bound > 0)
        let product = bits(stream: stream, counter: counter).multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }

    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A sequential generator over CounterRandom, for code that just wants the
/// next number (sample drawing, weight initialisation).
public struct SequentialRandom: RandomNumberGenerator, Sendable {
    private let source: CounterRandom
    private let stream: UInt64
    private var counter: UInt64 = 0

    public init(seed: UInt64, stream: UInt64 = 0) {
        source = CounterRandom(seed: seed)
        self.stream = stream
    }

    public mutating func next() -> UInt64 {
        defer { counter &+= 1 }
        return source.bits(stream: stream, counter: counter)
    }

    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by Box-Muller.
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
