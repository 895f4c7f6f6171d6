import Foundation
import KeepersCore

/// The CSV `keepers-predict` writes: `path,score,group,rank,error`, best
/// first; photos that could not be read come last with an empty score, group
/// and rank, and the reason.
public enum PredictionOutput {
    public static func sorted(_ predictions: [Prediction]) -> [Prediction] {
        predictions.sorted(by: bestFirst)
    }

    /// Higher score first, unscored last, ties by path in byte order.
    public static func bestFirst(_ a: Prediction, _ b: Prediction) -> Bool {
        switch (a.score, b.score) {
        case let (x?, y?): return x != y ? x > y : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        }
    }

    /// RFC 4180 (`CSV`, the writer scores.csv uses too): CRLF line ends.
    public static func csv(_ predictions: [Prediction]) -> String {
        CSV.encode([["path", "score", "group", "rank", "error", "logit"]] + predictions.map { p in
            [p.path, p.score.map { String(format: "%.6f", $0) } ?? "", p.group.map(String.init) ?? "",
             p.rank.map(String.init) ?? "", p.error ?? "", p.score.map(logitText) ?? ""]
        })
    }

    /// The score as a logit, log(p / (1 - p)), to 9 significant digits: the
    /// network's logits are Floats and 9 digits tell any two Floats apart,
    /// so photos that `score`'s 6 decimals print alike (0.000000, 1.000000
    /// for confident verdicts) still sort and compare. inf / -inf only for a
    /// score of exactly 1 or 0.
    static func logitText(_ score: Double) -> String {
        String(format: "%.9g", log(score) - log1p(-score))
    }

    /// Links (or copies) the photos scoring at least `threshold` into
    /// `folder`; returns how many are there. With `bestOfGroup`, only the
    /// best photo of each burst (rank 1) can be kept. See `KeepFolder`.
    public static func keep(_ predictions: [Prediction], threshold: Double, into folder: URL, copy: Bool,
                            bestOfGroup: Bool = false) throws -> Int {
        let keeper = try KeepFolder(folder, copy: copy)
        var kept = 0
        for prediction in predictions {
            guard let score = prediction.score, score >= threshold, !bestOfGroup || prediction.rank == 1 else { continue }
            // Paths are escaped text (PathEscaping): kept under their real bytes.
            try keeper.keep(BytePath(escaped: prediction.path))
            kept += 1
        }
        return kept
    }
}
