/// Trailing moving average for training curves: element i is the mean of
/// values[max(0, i - window + 1)...i]. The first window-1 elements average
/// what exists so far, so the output has one value per input and stays
/// aligned with the batch numbers it is plotted against.
///
/// Each window is summed afresh rather than kept as a running sum: a single
/// NaN loss then spoils only the `window` averages that contain it, and no
/// rounding drift builds up over a long run. O(n * window) is negligible at
/// training-log sizes.
public func movingAverage(_ values: [Double], window: Int) -> [Double] {
    precondition(window >= 1, "moving average window must be at least 1, got \(window)")
    return values.indices.map { end in
        let start = max(0, end - window + 1)
        return values[start...end].reduce(0, +) / Double(end - start + 1)
    }
}
