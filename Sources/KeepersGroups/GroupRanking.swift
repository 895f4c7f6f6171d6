/// Ranks within groups: 1 for the best-scoring photo of its group, 2 for the
/// next, and so on. Ties go to the smaller index, so the ranking is the same
/// on every run.
public enum GroupRanking {
    /// `groups[i]` and `scores[i]` describe photo i; photos with no score
    /// (unreadable) get no rank. Returns each photo's rank, in input order.
    public static func ranks(groups: [String], scores: [Double?]) -> [Int?] {
        precondition(groups.count == scores.count)
        var members: [String: [Int]] = [:]
        for index in groups.indices where scores[index] != nil { members[groups[index], default: []].append(index) }
        var ranks = [Int?](repeating: nil, count: groups.count)
        for indices in members.values {
            let ordered = indices.sorted { (scores[$0]!, -$0) > (scores[$1]!, -$1) }
            for (position, index) in ordered.enumerated() { ranks[index] = position + 1 }
        }
        return ranks
    }
}
