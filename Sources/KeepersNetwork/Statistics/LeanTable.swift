import Foundation

/// For every strong Sobel edge a photo can hold (the larger of |gx|, |gy|
/// from `ImageStatistics.strongEdge` to 1,020, the smaller from 0 to the
/// larger), its lean bin and whether it counts as on or near an axis: the
/// same `atan` and comparisons as computing them per edge, done once per
/// process (520,000 entries, 1 MB) instead of once per edge. A noisy or
/// detailed photo has strong edges at half its pixels, and `atan` was then
/// most of the statistics' time.
struct LeanTable: Sendable {
    struct Entry {
        let bin: Int
        let onAxis: Bool
        let nearAxis: Bool
    }

    static let largest: Int32 = 4 * 255
    static let shared = LeanTable()

    /// Entry of (larger, smaller) at rowStart[larger - strongEdge] + smaller:
    /// bits 0-6 the bin, bit 7 on an axis, bit 8 near one.
    private let entries: [UInt16]
    private let rowStart: [Int]

    private init() {
        let first = Int(ImageStatistics.strongEdge), last = Int(Self.largest)
        var rowStart: [Int] = []
        var entries: [UInt16] = []
        entries.reserveCapacity((first...last).reduce(0) { $0 + $1 + 1 })
        for larger in first...last {
            rowStart.append(entries.count)
            for smaller in 0...larger {
                let ratio = Double(smaller) / Double(larger)
                let bin = min(Int(atan(ratio) * 360 / Double.pi), ImageStatistics.leanBins - 1)  // half degrees
                let onAxis = ratio < ImageStatistics.axisTangent
                let nearAxis = !onAxis && ratio < ImageStatistics.nearAxisTangent
                entries.append(UInt16(bin) | (onAxis ? 1 << 7 : 0) | (nearAxis ? 1 << 8 : 0))
            }
        }
        (self.entries, self.rowStart) = (entries, rowStart)
    }

    /// `larger` in strongEdge...1,020 and `smaller` in 0...larger.
    @inline(__always) func entry(larger: Int32, smaller: Int32) -> Entry {
        let code = entries[rowStart[Int(larger - ImageStatistics.strongEdge)] + Int(smaller)]
        return Entry(bin: Int(code & 0x7F), onAxis: code & (1 << 7) != 0, nearAxis: code & (1 << 8) != 0)
    }
}
