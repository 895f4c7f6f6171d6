/// Star ratings from scores: `cutoffs[i]` is the lowest score that earns
/// i + 2 stars (every photo gets at least 1; 0 means unrated in XMP, and
/// digiKam cannot show darktable's -1, "rejected").
public struct StarScale: Sendable, Equatable {
    public let cutoffs: [Double]

    public init(cutoffs: [Double]) throws {
        guard cutoffs.count == 4, cutoffs.allSatisfy({ (0...1).contains($0) }),
              zip(cutoffs, cutoffs.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw StarScaleError(cutoffs: cutoffs)
        }
        self.cutoffs = cutoffs
    }

    /// The default around a keep threshold `t` (the report's Youden
    /// threshold): 4 stars from `t` (the photos `--keep-into` keeps), 5
    /// from halfway between `t` and 1, 3 and 2 from 2t/3 and t/3.
    public init(threshold: Double) throws {
        let t = min(max(threshold, 0.01), 0.99)  // keeps the four cut-offs distinct
        try self.init(cutoffs: [t / 3, 2 * t / 3, t, (1 + t) / 2])
    }

    public func stars(_ score: Double) -> Int {
        1 + cutoffs.filter { score >= $0 }.count
    }
}

public struct StarScaleError: Error, CustomStringConvertible {
    let cutoffs: [Double]
    public var description: String {
        "star cut-offs must be 4 increasing scores in 0...1 (for 2, 3, 4 and 5 stars), got \(cutoffs)"
    }
}
