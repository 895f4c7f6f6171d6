import KeepersCore

/// What grouping knows of one photo.
public struct GroupingPhoto: Sendable {
    /// The photo's id (`ManifestEntry.id`); a group is named after its smallest member id.
    public var id: String
    /// Photos without a capture time are compared only within their folder (see `BurstGrouper`).
    public var folder: String
    public var captured: CaptureTime?
    public var signature: VisualSignature
    /// What the index's name-order probe sorts by (`UntimedIndex`): the
    /// photo's path where the caller knows it (ingest's ids are content
    /// hashes, in no useful order); by default the id.
    public var name: String

    public init(id: String, folder: String, captured: CaptureTime?, signature: VisualSignature, name: String? = nil) {
        self.id = id
        self.folder = folder
        self.captured = captured
        self.signature = signature
        self.name = name ?? id
    }
}

/// Groups photos into bursts (docs/groups.md):
/// - two photos with capture times at most `gap_seconds` apart are one
///   burst if they look alike (similarity at least `similarity`);
/// - a photo without a capture time joins any photo of its folder it looks
///   very much like (at least `similarity_untimed`): with no clock to narrow
///   the search, the bar is higher;
/// - groups are the connected components of those links, so a burst whose
///   first and last frames differ stays whole through the frames between;
/// - except that untimed links never grow a group beyond
///   `maxUntimedGroup` photos: they are taken strongest first, and one that
///   would is left out.
///
/// A folder of at most `UntimedIndex.exhaustiveLimit` untimed photos is
/// searched pair by pair; a larger one through `UntimedIndex`, which
/// proposes candidate pairs and may miss a link (never adds one).
///
/// The result depends only on the set of photos, not their order: a group
/// is named after its smallest member id.
public enum BurstGrouper {
    /// Without a clock, nothing bounds a chain of lookalikes: a folder of
    /// similar photos (product shots on one background, synthetic samples
    /// without EXIF) once became one group of 389 photos, which put a whole
    /// class in one split. A burst is short; a chain this long is not one.
    /// Above the largest group of the real-photo benchmark (21), so its
    /// groups are unchanged.
    public static let maxUntimedGroup = 32

    /// The group of each photo, in input order. `referenceKernel` compares
    /// signatures with the row-by-row kernel of earlier releases
    /// (`VisualSignature.referenceSimilarity`), for `keepers-bench-groups
    /// --reference` and the tests: same groups, slower. `search` says how
    /// untimed links are found (`UntimedSearch`; the default searches folders
    /// of up to `UntimedIndex.exhaustiveLimit` untimed photos exhaustively).
    public static func groups(
        _ photos: [GroupingPhoto], settings: GroupSettings, threads: Int = 1, referenceKernel: Bool = false,
        search: UntimedSearch = .automatic
    ) -> [String] {
        grouping(photos, settings: settings, threads: threads, referenceKernel: referenceKernel, search: search).groups
    }

    /// `groups`, with the untimed links found (ids, `a` < `b`) and how many
    /// pairs the untimed search compared: for `keepers-bench-groups
    /// --compare-index`, which counts what the index misses.
    public static func grouping(
        _ photos: [GroupingPhoto], settings: GroupSettings, threads: Int = 1, referenceKernel: Bool = false,
        search: UntimedSearch = .automatic
    ) -> (groups: [String], untimedLinks: [(a: String, b: String, similarity: Double)], pairsCompared: Int) {
        grouping(photos, settings: settings, threads: threads, referenceKernel: referenceKernel, search: search,
                 index: UntimedIndex.Parameters())
    }

    /// `grouping` with other index sizes (`UntimedIndex.Parameters`).
    public static func grouping(
        _ photos: [GroupingPhoto], settings: GroupSettings, threads: Int, referenceKernel: Bool,
        search: UntimedSearch, index parameters: UntimedIndex.Parameters
    ) -> (groups: [String], untimedLinks: [(a: String, b: String, similarity: Double)], pairsCompared: Int) {
        guard settings.enabled else { return (photos.map(\.id), [], 0) }
        var components = UnionFind(count: photos.count)
        for (a, b) in timedLinks(photos, settings: settings, threads: threads, reference: referenceKernel) {
            components.union(a, b)
        }
        // Strongest first, ties by id: the same links win whatever the input order.
        let found = untimedLinks(photos, settings: settings, threads: threads, reference: referenceKernel, search: search,
                                 index: parameters)
        let untimed = found.links.sorted {
            ($1.similarity, photos[$0.a].id, photos[$0.b].id) < ($0.similarity, photos[$1.a].id, photos[$1.b].id)
        }
        for link in untimed { components.union(link.a, link.b, ifSizeAtMost: maxUntimedGroup) }
        var smallest: [Int: String] = [:]
        for index in photos.indices {
            let root = components.find(index)
            if let current = smallest[root], current <= photos[index].id { continue }
            smallest[root] = photos[index].id
        }
        return (photos.indices.map { smallest[components.find($0)]! },
                untimed.map { (photos[$0.a].id, photos[$0.b].id, $0.similarity) }, found.pairs)
    }

    /// Pairs of timed photos within the gap that look alike.
    static func timedLinks(
        _ photos: [GroupingPhoto], settings: GroupSettings, threads: Int, reference: Bool = false
    ) -> [(Int, Int)] {
        let timed = photos.indices.filter { photos[$0].captured != nil }
            .sorted { (photos[$0].captured!, photos[$0].id) < (photos[$1].captured!, photos[$1].id) }
        let gap = Int64((settings.gapSeconds * 1000).rounded())
        let links = parallelMap(count: timed.count, threads: threads) { position -> [(Int, Int)] in
            let a = timed[position]
            var found: [(Int, Int)] = []
            var next = position + 1
            while next < timed.count, photos[timed[next]].captured!.milliseconds - photos[a].captured!.milliseconds <= gap {
                let b = timed[next]
                if similarity(photos[a].signature, photos[b].signature, atLeast: settings.similarity, reference: reference) != nil {
                    found.append((a, b))
                }
                next += 1
            }
            return found
        }
        return links.flatMap { $0 }
    }

    /// Pairs of an untimed photo and any other photo of its folder that look
    /// very much alike, with their similarity; `a` < `b` by id. `pairs`: how
    /// many pairs were compared.
    static func untimedLinks(
        _ photos: [GroupingPhoto], settings: GroupSettings, threads: Int, reference: Bool = false,
        search: UntimedSearch = .automatic, index: UntimedIndex.Parameters = UntimedIndex.Parameters()
    ) -> (links: [(a: Int, b: Int, similarity: Double)], pairs: Int) {
        let folders = Dictionary(grouping: photos.indices) { photos[$0].folder }
        var exhaustive = Set<String>()
        var indexes: [UntimedIndex] = []
        for (folder, members) in folders.sorted(by: { $0.key < $1.key }) {
            let untimedCount = members.count(where: { photos[$0].captured == nil })
            guard untimedCount > 0 else { continue }
            switch search {
            case .automatic where untimedCount <= index.exhaustiveLimit, .exhaustive:
                exhaustive.insert(folder)
            case .automatic, .indexed:
                indexes.append(UntimedIndex(members, photos: photos, threads: threads, parameters: index))
            }
        }
        // Folders of at most `exhaustiveLimit` untimed photos: every pair, as in earlier releases.
        let untimed = photos.indices.filter { photos[$0].captured == nil && exhaustive.contains(photos[$0].folder) }
        let links = parallelMap(count: untimed.count, threads: threads) { position -> [(a: Int, b: Int, similarity: Double)] in
            let a = untimed[position]
            // Each untimed pair once: from its smaller index.
            return folders[photos[a].folder]!.compactMap { b in
                guard b != a, photos[b].captured != nil || b > a,
                      let similarity = similarity(photos[a].signature, photos[b].signature,
                                                  atLeast: settings.similarityUntimed, reference: reference)
                else { return nil }
                return photos[a].id < photos[b].id ? (a, b, similarity) : (b, a, similarity)
            }
        }
        let exhaustivePairs = exhaustive.reduce(0) { sum, folder in
            let members = folders[folder]!, untimed = members.count(where: { photos[$0].captured == nil })
            return sum + untimed * (untimed - 1) / 2 + untimed * (members.count - untimed)
        }
        // Larger folders: each photo with the index's candidates, through the same comparison.
        let indexed = indexes
        let work = indexed.indices.flatMap { folder in indexed[folder].ordered.indices.map { (folder, $0) } }
        let found = parallelMap(count: work.count, threads: threads) { item -> (links: [(a: Int, b: Int, similarity: Double)], pairs: Int) in
            let (folder, position) = work[item]
            let ordered = indexed[folder].ordered, a = ordered[position]
            // Pairs of two timed photos are the clock's business, as in the exhaustive search.
            let partners = indexed[folder].partners(of: position).map { ordered[$0] }
                .filter { photos[a].captured == nil || photos[$0].captured == nil }
            let links = partners.compactMap { b -> (a: Int, b: Int, similarity: Double)? in
                guard let similarity = similarity(photos[a].signature, photos[b].signature,
                                                  atLeast: settings.similarityUntimed, reference: reference)
                else { return nil }
                return photos[a].id < photos[b].id ? (a, b, similarity) : (b, a, similarity)
            }
            return (links, partners.count)
        }
        return (links.flatMap { $0 } + found.flatMap(\.links), exhaustivePairs + found.reduce(0) { $0 + $1.pairs })
    }
}

extension BurstGrouper {
    static func similarity(_ a: VisualSignature, _ b: VisualSignature, atLeast threshold: Double, reference: Bool) -> Double? {
        reference ? a.referenceSimilarity(to: b, atLeast: threshold) : a.similarity(to: b, atLeast: threshold)
    }
}

/// Disjoint sets over 0..<count, with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    /// Joins the sets of `a` and `b`, unless together they would hold more than `limit`.
    mutating func union(_ a: Int, _ b: Int, ifSizeAtMost limit: Int = .max) {
        var (rootA, rootB) = (find(a), find(b))
        guard rootA != rootB, size[rootA] + size[rootB] <= limit else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
    }
}
