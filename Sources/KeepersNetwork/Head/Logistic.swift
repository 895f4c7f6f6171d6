import Foundation

// The logistic function and binary cross-entropy on logits: the network's
// probability and loss. One definition, used in Float by training and in
// Double by validation and scoring.

/// Float and Double, with the two functions the formulas below need.
public protocol LogisticReal: BinaryFloatingPoint {
    static func exponential(_ x: Self) -> Self
    static func logOnePlus(_ x: Self) -> Self
}

extension Float: LogisticReal {
    public static func exponential(_ x: Float) -> Float { exp(x) }
    public static func logOnePlus(_ x: Float) -> Float { log1p(x) }
}

extension Double: LogisticReal {
    public static func exponential(_ x: Double) -> Double { exp(x) }
    public static func logOnePlus(_ x: Double) -> Double { log1p(x) }
}

/// The probability of the positive class, 1 / (1 + e^-x), without overflow for large |x|.
public func sigmoid<T: LogisticReal>(_ x: T) -> T {
    x >= 0 ? 1 / (1 + T.exponential(-x)) : T.exponential(x) / (1 + T.exponential(x))
}

/// Binary cross-entropy of sigmoid(x) against the label y (0 or 1),
/// numerically stable for any |x|: max(x, 0) - x y + log(1 + exp(-|x|)), the
/// same value as -[y log s(x) + (1 - y) log(1 - s(x))] without overflowing exp
/// (PyTorch's BCEWithLogits).
public func binaryCrossEntropy<T: LogisticReal>(logit x: T, label y: T) -> T {
    max(x, 0) - x * y + T.logOnePlus(T.exponential(-abs(x)))
}
