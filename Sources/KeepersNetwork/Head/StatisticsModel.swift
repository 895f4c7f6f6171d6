/// A model of the standardised image statistics alone, fitted once before
/// training, whose logit the network's own adds to: boosted trees
/// (`model.trees`) or the additive model (`model.additive`).
public protocol StatisticsModel: Sendable {
    /// The logit of one row of standardised statistics.
    func logit(_ row: ArraySlice<Float>) -> Float
}

extension StatisticsModel {
    /// Logits of `n` rows (n, K) of standardised statistics.
    public func logits(_ rows: [Float], n: Int) -> [Float] {
        let k = rows.count / max(n, 1)
        return (0..<n).map { logit(rows[($0 * k)..<(($0 + 1) * k)]) }
    }
}

extension BoostedTrees: StatisticsModel {}
extension AdditiveLogistic: StatisticsModel {}

public enum CrossFit {
    /// Each row's logit from a model fitted without it: rows are dealt into
    /// `folds` folds by `foldOf` and each fold is scored by `fit` on the
    /// others (a fold whose others lack a class is scored by `all`, the model
    /// of every row).
    public static func logits(rows: [Float], labels: [Float], features: Int, folds: Int, foldOf: [Int],
                              all: any StatisticsModel,
                              fit: (_ rows: [Float], _ labels: [Float]) throws -> any StatisticsModel) throws -> [Float] {
        let n = labels.count
        var result = [Float](repeating: 0, count: n)
        for fold in 0..<folds {
            let held = (0..<n).filter { foldOf[$0] == fold }
            guard !held.isEmpty else { continue }
            let kept = (0..<n).filter { foldOf[$0] != fold }
            let keptLabels = kept.map { labels[$0] }
            let positives = keptLabels.reduce(0, +)
            let model = positives > 0 && positives < Float(kept.count)
                ? try fit(kept.flatMap { rows[($0 * features)..<(($0 + 1) * features)] }, keptLabels) : all
            for i in held { result[i] = model.logit(rows[(i * features)..<((i + 1) * features)]) }
        }
        return result
    }
}
