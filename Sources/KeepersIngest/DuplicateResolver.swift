import KeepersCore

/// An accepted photo before splits and repeats are assigned.
struct AcceptedPhoto {
    var source: String
    var label: String
    var sha256: String
    var width: Int
    var height: Int
    var rating: Int?
    var labelSource: String?
    /// Grouping facts (`IngestState.FileRecord`).
    var captured: String?
    var signature: SignatureCells?
}

/// Applies the content-hash rules: byte-identical files under one label are
/// ingested once (the first path in byte order; the others are listed as
/// duplicates), identical files under two labels are all refused, because
/// the photographer's own sorting contradicts itself.
enum DuplicateResolver {
    struct Resolution {
        var accepted: [AcceptedPhoto] = []
        var rejected: [RejectedEntry] = []
    }

    static func resolve(_ candidates: [CandidateFile], _ outcomes: [Outcome]) -> Resolution {
        var resolution = Resolution()
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, outcome) in outcomes.enumerated() {
            if let reason = outcome.record.reason {
                resolution.rejected.append(RejectedEntry(source: candidates[index].source, reason: reason))
                continue
            }
            if groups[outcome.record.sha256] == nil { order.append(outcome.record.sha256) }
            groups[outcome.record.sha256, default: []].append(index)
        }
        for sha in order {
            let members = groups[sha]!  // candidates are sorted by path, so members are too
            let labels = Set(members.map { candidates[$0].label })
            if labels.count > 1 {
                for index in members {
                    let others = members.filter { $0 != index }.map { "\(candidates[$0].source)" }
                    resolution.rejected.append(RejectedEntry(
                        source: candidates[index].source,
                        reason: "conflicting labels: byte-identical to \(others.joined(separator: ", "))"))
                }
                continue
            }
            let first = members[0]
            let record = outcomes[first].record
            let candidate = candidates[first]
            resolution.accepted.append(AcceptedPhoto(source: candidate.source, label: candidate.label, sha256: sha,
                                                     width: record.width ?? 0, height: record.height ?? 0,
                                                     rating: candidate.rating, labelSource: candidate.labelSource,
                                                     captured: record.captured, signature: record.signature))
            for index in members.dropFirst() {
                resolution.rejected.append(RejectedEntry(
                    source: candidates[index].source,
                    reason: "duplicate: byte-identical to \(candidates[first].source), ingested once"))
            }
        }
        return resolution
    }
}
