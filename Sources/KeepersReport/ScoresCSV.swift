import Foundation
import KeepersCore

/// `scores.csv`: one row per test photo, `id,source,label,score`, highest
/// score first (ties by id, so equal inputs give identical bytes).
///
/// Written by the one RFC 4180 writer, `CSV` (KeepersCore). Source paths
/// are arbitrary file names, so commas, quotes and line breaks occur. The score is Swift's
/// shortest representation that parses back to the identical Double.
public enum ScoresCSV {
    public static let header = ["id", "source", "label", "score"]

    public static func encode(_ photos: [ScoredPhoto]) -> String {
        CSV.encode([header] + sortedByScore(photos).map { [$0.id, $0.source, $0.label, "\($0.score)"] })
    }

    /// Score descending, then id ascending.
    public static func sortedByScore(_ photos: [ScoredPhoto]) -> [ScoredPhoto] {
        photos.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }
}
