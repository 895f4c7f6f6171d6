import KeepersCore

/// Assigns splits and sampling repeats.
///
/// A group's split is a pure function of its name (the smallest id among
/// its photos, 16 hex digits of a content hash) and the seed: a uniform draw
/// compared with the cumulative fractions. A photo alone is its own group,
/// so its split is what it was before groups existed. Adding photos moves an
/// existing photo only when a new one joins its group with a smaller id, or
/// links two groups (docs/groups.md). Since the draw is independent of the
/// class, every class is split in the configured proportions (stratified in
/// expectation; exact per-class counts would require moving photos when new
/// ones arrive).
struct SplitPlanner {
    let settings: IngestSettings

    func split(group: String) -> Split {
        let key = UInt64(group.prefix(16), radix: 16) ?? 0
        let u = CounterRandom(seed: settings.splitSeed).unit(stream: 0x5350_4C49_54, counter: key)
        guard settings.folds > 1 else {
            if u < settings.split.train { return .train }
            if u < settings.split.train + settings.split.val { return .val }
            return .test
        }
        // k-fold: the draw's k equal parts are the k test folds, so the folds
        // partition the photos; the rest divides train : val as configured.
        let k = Double(settings.folds)
        let part = (u * k).rounded(.down)
        if part == Double(settings.fold) { return .test }
        let rest = u * k - part  // uniform in [0, 1) again
        return rest < settings.split.train / (settings.split.train + settings.split.val) ? .train : .val
    }

    /// The unit each photo is split by with `groups.whole_folders`: its burst
    /// group joined with every group that shares a sub-folder with it (a
    /// burst may span folders, so the join is transitive), named like a group
    /// by its smallest member name. Photos of the top folder ("") keep their
    /// burst group. Order-independent: the result depends only on the sets.
    static func wholeFolderUnits(groups: [String], folders: [String]) -> [String] {
        var parent: [String: String] = [:]
        func root(_ name: String) -> String {
            var node = name
            while let up = parent[node], up != node { node = up }
            return node
        }
        func join(_ a: String, _ b: String) {
            let (ra, rb) = (root(a), root(b))
            guard ra != rb else { return }
            // The smaller name becomes the root, so a unit is named by its smallest group.
            if ra < rb { parent[rb] = ra } else { parent[ra] = rb }
        }
        var firstOfFolder: [String: String] = [:]
        for (group, folder) in zip(groups, folders) where !folder.isEmpty {
            if let first = firstOfFolder[folder] { join(first, group) } else { firstOfFolder[folder] = group }
        }
        return groups.map(root)
    }

    /// Repeat factors for the train split: `balance` gives the minority class
    /// (usually the positive one) repeat = majority / minority, so that both
    /// classes are drawn equally often; val and test always keep 1.
    func repeats(trainCounts: [String: Int]) -> [String: Double] {
        var result = Dictionary(uniqueKeysWithValues: settings.classes.map { ($0, 1.0) })
        switch settings.oversample {
        case .none: break
        case let .factor(f): result[settings.positive] = f
        case .balance:
            let counts = settings.classes.map { trainCounts[$0] ?? 0 }
            guard let most = counts.max(), counts.allSatisfy({ $0 > 0 }) else { break }
            for (label, count) in zip(settings.classes, counts) { result[label] = Double(most) / Double(count) }
        }
        return result
    }
}
