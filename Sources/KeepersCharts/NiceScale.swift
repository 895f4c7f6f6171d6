import Foundation

/// An axis range widened to "nice" tick marks: steps of 1, 2 or 5 times a
/// power of ten, with the range starting and ending on a tick.
public struct NiceScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    /// 1, 2 or 5.
    public let stepMantissa: Int
    /// Step = stepMantissa * 10^stepExponent.
    public let stepExponent: Int
    /// Tick k (from 0) sits at (firstMultiple + k) * step.
    let firstMultiple: Int
    public let tickCount: Int

    public var step: Double { Self.value(multiple: 1, mantissa: stepMantissa, exponent: stepExponent) }

    /// Tick positions from `lower` to `upper` inclusive. Each is computed as
    /// an integer scaled by a power of ten once, so 0.1 * 3 comes out as the
    /// double nearest 0.3 rather than 0.30000000000000004.
    public var ticks: [Double] {
        (0..<tickCount).map {
            Self.value(multiple: firstMultiple + $0, mantissa: stepMantissa, exponent: stepExponent)
        }
    }

    /// - Parameters:
    ///   - minimum, maximum: the data range (either order; non-finite values
    ///     or an empty range fall back to something drawable).
    ///   - targetTicks: roughly how many ticks to aim for.
    public init(minimum: Double, maximum: Double, targetTicks: Int = 6) {
        var low = min(minimum, maximum), high = max(minimum, maximum)
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if low == high {
            // A flat series still needs an axis: widen around the value.
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(max(1, targetTicks - 1))
        var exponent = Int(floor(log10(rough)))
        let scaled = rough / pow(10, Double(exponent))
        // Smallest 1-2-5 step not below the rough step.
        let mantissa: Int
        switch scaled {
        case ...1: mantissa = 1
        case ...2: mantissa = 2
        case ...5: mantissa = 5
        default: mantissa = 1; exponent += 1
        }
        let step = Self.value(multiple: 1, mantissa: mantissa, exponent: exponent)
        // The small tolerance keeps a bound that is a tick up to rounding
        // (0.3 / 0.1 = 2.9999999999999996) from gaining an extra tick.
        let first = Int(floor(low / step + 1e-9))
        let last = Int(ceil(high / step - 1e-9))
        stepMantissa = mantissa
        stepExponent = exponent
        firstMultiple = first
        tickCount = last - first + 1
        lower = Self.value(multiple: first, mantissa: mantissa, exponent: exponent)
        upper = Self.value(multiple: last, mantissa: mantissa, exponent: exponent)
    }

    static func value(multiple: Int, mantissa: Int, exponent: Int) -> Double {
        let whole = Double(multiple * mantissa)
        return exponent >= 0 ? whole * pow(10, Double(exponent)) : whole / pow(10, Double(-exponent))
    }

    /// Tick label: as many decimals as the step needs, the same on every
    /// tick of the axis ("0.0, 0.5, 1.0"), thousands as "k" and millions as
    /// "M" once the axis reaches 10,000 (but zero stays "0"), never "-0".
    public func label(_ value: Double) -> String {
        let largest = max(abs(lower), abs(upper))
        let (divisor, suffix, exponent): (Double, String, Int) =
            largest >= 1e7 ? (1e6, "M", stepExponent - 6)
            : largest >= 1e4 ? (1e3, "k", stepExponent - 3)
            : (1, "", stepExponent)
        let text = formatDecimal(value / divisor, decimals: max(0, -exponent))
        return value == 0 ? text : text + suffix
    }
}

/// Fixed-point text in the C locale (always "."), with "-0" shown as "0".
public func formatDecimal(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    let text = String(format: "%.\(max(0, decimals))f", value)
    let isNegativeZero = text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
    return isNegativeZero ? String(text.dropFirst()) : text
}

/// 1234567 -> "1,234,567", independent of the machine's locale.
public func groupedThousands(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var groups: [Substring] = []
    var end = digits.endIndex
    while end > digits.startIndex {
        let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
        groups.insert(digits[start..<end], at: 0)
        end = start
    }
    return (value < 0 ? "-" : "") + groups.joined(separator: ",")
}
