import Foundation
import KeepersCore
import KeepersGroups

/// Bursts among the photos `keepers-predict` scores, found as ingest finds
/// them (`BurstGrouper`, the same settings): photos without a capture time
/// are compared within their own folder.
public enum PredictionGroups {
    /// Sets `group` and `rank` of every scored photo. Groups are numbered by
    /// their best photo's place in the best-first order, so group 1 holds the
    /// best photo of all; ties go to the path in byte order.
    public static func assign(_ predictions: [Prediction], settings: GroupSettings = GroupSettings(),
                              threads: Int = 1) -> [Prediction] {
        let scored = predictions.indices.filter { predictions[$0].score != nil && predictions[$0].signature != nil }
        // Ids that sort like the photos' paths: grouping names a group after its smallest id.
        var ids = [String](repeating: "", count: scored.count)
        let byPath = scored.indices.sorted {
            predictions[scored[$0]].path.utf8.lexicographicallyPrecedes(predictions[scored[$1]].path.utf8)
        }
        for (order, position) in byPath.enumerated() { ids[position] = String(format: "%012d", order) }
        let photos = scored.indices.map { position in
            let prediction = predictions[scored[position]]
            return GroupingPhoto(id: ids[position], folder: URL(fileURLWithPath: prediction.path).deletingLastPathComponent().path,
                                 captured: prediction.captured, signature: prediction.signature!)
        }
        let names = BurstGrouper.groups(photos, settings: settings, threads: threads)
        let ranks = GroupRanking.ranks(groups: names, scores: scored.map { predictions[$0].score })
        var result = predictions
        var number: [String: Int] = [:]
        let bestFirst = scored.indices.sorted { PredictionOutput.bestFirst(predictions[scored[$0]], predictions[scored[$1]]) }
        for position in bestFirst {
            let index = scored[position]
            result[index].rank = ranks[position]
            if number[names[position]] == nil { number[names[position]] = number.count + 1 }
            result[index].group = number[names[position]]
        }
        return result
    }
}
