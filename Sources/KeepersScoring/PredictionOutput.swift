import Foundation
import KeepersCore
import KeepersCulling
import KeepersXMP

/// The CSV `keepers-predict` writes: `path,score,group,rank,error,logit,reasons`,
/// best first; photos that could not be read come last with an empty score,
/// group and rank, and the reason. `reasons`: what pulls the score down,
/// strongest first, separated by "; " (docs/formats.md).
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
        CSV.encode([["path", "score", "group", "rank", "error", "logit", "reasons"]] + predictions.map { p in
            [p.path, p.score.map { String(format: "%.6f", $0) } ?? "", p.group.map(String.init) ?? "",
             p.rank.map(String.init) ?? "", p.error ?? "", p.score.map(logitText) ?? "", Reason.text(p.reasons)]
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

    /// The culling page's tiles, one per prediction in CSV order: stars as
    /// `--xmp` writes them (with `bestOfGroup`, a burst's other frames get a
    /// star less than its best and are not kept).
    public static func tiles(_ predictions: [Prediction], threshold: Double, stars scale: StarScale,
                             bestOfGroup: Bool) -> [PageTile] {
        var bestStars: [Int: Int] = [:]
        for prediction in predictions where prediction.rank == 1 {
            if let group = prediction.group, let score = prediction.score { bestStars[group] = scale.stars(score) }
        }
        return predictions.enumerated().map { index, prediction in
            var tile = PageTile(row: index + 1, path: prediction.path, score: prediction.score, error: prediction.error)
            tile.group = prediction.group
            tile.rank = prediction.rank
            tile.reasons = prediction.reasons
            tile.captured = prediction.captured?.milliseconds
            tile.capturedText = prediction.captured?.text
            if let thumbnail = prediction.thumbnail {
                (tile.thumbnail, tile.thumbnailWidth, tile.thumbnailHeight) = (thumbnail.name, thumbnail.width, thumbnail.height)
            }
            if let score = prediction.score {
                let outranked = bestOfGroup && (prediction.rank ?? 1) > 1
                let cap = outranked ? prediction.group.flatMap { bestStars[$0] }.map { $0 - 1 } : nil
                tile.stars = max(1, min(scale.stars(score), cap ?? 5))
                tile.kept = score >= threshold && !outranked
            }
            return tile
        }
    }
}
