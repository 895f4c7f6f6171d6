import KeepersCore

/// How `BurstGrouper` finds the untimed links of a folder.
public enum UntimedSearch: Sendable {
    /// Every pair of a folder with at most `UntimedIndex.exhaustiveLimit`
    /// untimed photos (the search of earlier releases, exact); the index
    /// above that.
    case automatic
    /// Every pair, whatever the folder's size (quadratic).
    case exhaustive
    /// The index, whatever the folder's size: for `keepers-bench-groups
    /// --compare-index` and the tests, which measure what it misses.
    case indexed
}

/// Candidate pairs for the untimed links of one large folder, so that the
/// full comparison runs on a few hundred partners per photo instead of the
/// whole folder (docs/groups.md, "The index"):
///
/// - **name order**: each photo with the next `nameWindow` photos in name
///   order (`GroupingPhoto.name`: the path, from ingest and predict alike).
///   Burst frames have consecutive file names and exports keep them.
/// - **layout trees**: `trees` random-projection trees over each photo's
///   layout (the cells averaged into 8 x 8 blocks, less their mean, scaled to
///   one length: an exposure step changes neither). Each node splits its
///   photos at the median of their projections on the line through two of
///   them, down to leaves of at most `leafSize`; every pair within a leaf is
///   a candidate. The low-resolution layout, not the gradients: the frames
///   of a burst keep their large shapes, which a few directions describe, so
///   they stay on one side of most splits; gradient fields spread over
///   hundreds of directions, where frames with a cosine of 0.5 part as often
///   as random hashing parts them (the SimHash prototype's 81% recall).
///
/// Candidates then take exactly the comparison of the exhaustive search and
/// the same strongest-first union, so an index can only lose links, never
/// add one. Deterministic: the photos are taken in name order and the trees'
/// choices come from a fixed seed, so the candidates depend only on the set
/// of photos, not on their input order or the thread count.
///
/// What it loses (measured, docs/groups.md): about 1 burst link in 1,000,
/// and 5% of the weak links (0.50-0.70) between photos whose layouts differ
/// (overlapping crops, tilted copies: the real-photo benchmark's family b).
public struct UntimedIndex: Sendable {
    /// Folders with at most this many untimed photos are searched
    /// exhaustively, as in earlier releases: about 2 million pairs, 10 CPU
    /// seconds at most (under a tenth of ingesting the photos), and the
    /// real-photo benchmark (568) and every test below it keep their groups
    /// by construction.
    public static let exhaustiveLimit = 2_000
    /// Neighbours in name order compared with each photo (`nameWindow` after it).
    public static let nameWindow = 8
    /// Random-projection trees, and their largest leaf: each tree adds up to
    /// `leafSize` candidates a photo (fewer once repeats are dropped). Many
    /// small trees beat few large ones at the same cost: a burst's frames
    /// that one tree parts, another keeps together. Measured
    /// (keepers-bench-groups --compare-index, docs/groups.md): 12 x 48 and
    /// 48 x 16 missed 3 and 6 of the benchmark's 1,260 links, 32 x 24 none.
    public static let trees = 32
    public static let leafSize = 24

    /// The index's sizes: the tests make them small to exercise the index
    /// on a folder a debug build searches quickly, `keepers-bench-groups`
    /// tries others.
    public struct Parameters: Sendable {
        public var exhaustiveLimit = UntimedIndex.exhaustiveLimit
        public var nameWindow = UntimedIndex.nameWindow
        public var trees = UntimedIndex.trees
        public var leafSize = UntimedIndex.leafSize

        public init(exhaustiveLimit: Int = UntimedIndex.exhaustiveLimit, nameWindow: Int = UntimedIndex.nameWindow,
                    trees: Int = UntimedIndex.trees, leafSize: Int = UntimedIndex.leafSize) {
            self.exhaustiveLimit = exhaustiveLimit
            self.nameWindow = nameWindow
            self.trees = trees
            self.leafSize = max(2, leafSize)
        }
    }
    /// The layout's blocks a side (each 4 x 4 cells).
    static let blocks = 8

    /// The members (indices into `photos`) in name order (ids, then cells,
    /// break ties): the index depends only on the set.
    let ordered: [Int]
    /// Per tree, its leaves (positions in `ordered`), and each position's leaf.
    let leaves: [[[Int32]]]
    let leafOf: [[Int32]]
    let nameWindow: Int

    /// The index of one folder's `members`: 8 bytes a photo and tree (and
    /// 256 a photo for the layouts while the trees grow). The candidate
    /// pairs themselves are never stored, so memory stays linear:
    /// `partners(of:)` lists one photo's at a time.
    init(_ members: [Int], photos: [GroupingPhoto], threads: Int, parameters: Parameters = Parameters()) {
        ordered = members.sorted {
            if photos[$0].name != photos[$1].name { return photos[$0].name.utf8.lexicographicallyPrecedes(photos[$1].name.utf8) }
            return photos[$0].id != photos[$1].id ? photos[$0].id < photos[$1].id
                : photos[$0].signature.cells.lexicographicallyPrecedes(photos[$1].signature.cells)
        }
        nameWindow = parameters.nameWindow
        let layouts = ordered.map { Self.layout(photos[$0].signature) }
        leaves = parallelMap(count: parameters.trees, threads: threads) { tree in
            Self.treeLeaves(layouts, leafSize: parameters.leafSize, seed: 0x6B65_6570_6572_7300 &+ UInt64(tree))
                .map { $0.map(Int32.init) }
        }
        leafOf = leaves.map { tree in
            var leafOf = [Int32](repeating: 0, count: layouts.count)
            for (number, leaf) in tree.enumerated() { for position in leaf { leafOf[Int(position)] = Int32(number) } }
            return leafOf
        }
    }

    /// The candidates of the photo at `position` (in name order) that come
    /// after it in name order, each once, ascending: the next `nameWindow`
    /// photos and its leaf mates in every tree. Each candidate pair is
    /// proposed from its first photo only.
    func partners(of position: Int) -> [Int] {
        var result = Array((position + 1)..<min(ordered.count, position + 1 + nameWindow))
        for (tree, leafOf) in zip(leaves, leafOf) {
            for other in tree[Int(leafOf[position])] where Int(other) > position + nameWindow { result.append(Int(other)) }
        }
        result.sort()
        var unique: [Int] = []
        unique.reserveCapacity(result.count)
        for other in result where other != unique.last { unique.append(other) }
        return unique
    }

    /// The layout: 8 x 8 block sums of the cells, less their mean, scaled to
    /// a length of about 2^12. Integers, so every machine builds the same trees.
    static func layout(_ signature: VisualSignature) -> [Int32] {
        let side = VisualSignature.side, block = side / blocks
        var sums = [Int64](repeating: 0, count: blocks * blocks)
        for row in 0..<side {
            for column in 0..<side {
                sums[(row / block) * blocks + column / block] += Int64(signature.cells[row * side + column])
            }
        }
        let total = sums.reduce(0, +)
        let centred = sums.map { $0 * Int64(blocks * blocks) - total }
        let norm = integerSquareRoot(centred.reduce(0) { $0 + $1 * $1 })
        guard norm > 0 else { return [Int32](repeating: 0, count: blocks * blocks) }  // a flat photo
        return centred.map { Int32($0 * 4096 / norm) }
    }

    static func integerSquareRoot(_ value: Int64) -> Int64 {
        guard value > 0 else { return 0 }
        var root = Int64(Double(value).squareRoot())
        while root * root > value { root -= 1 }
        while (root + 1) * (root + 1) <= value { root += 1 }
        return root
    }

    /// The leaves of one random-projection tree over `layouts` (positions into it).
    static func treeLeaves(_ layouts: [[Int32]], leafSize: Int, seed: UInt64) -> [[Int]] {
        var random = SplitMix(state: seed)
        var result: [[Int]] = []
        var pending: [[Int]] = [Array(layouts.indices)]
        while let node = pending.popLast() {
            guard node.count > leafSize else {
                result.append(node)
                continue
            }
            // The line through two photos of the node: it follows the node's own spread.
            let p = node[Int(random.next() % UInt64(node.count))]
            var q = node[Int(random.next() % UInt64(node.count - 1))]
            if q == p { q = node[node.count - 1] }
            let direction = zip(layouts[p], layouts[q]).map { Int64($0) - Int64($1) }
            let projected = node.map { position -> (Int64, Int) in
                var sum: Int64 = 0
                for (value, weight) in zip(layouts[position], direction) { sum += Int64(value) * weight }
                return (sum, position)
            }.sorted { $0 < $1 }
            // At the median: balanced, so a tree is log2(n / leafSize) splits deep.
            let half = node.count / 2
            pending.append(projected[..<half].map(\.1))
            pending.append(projected[half...].map(\.1))
        }
        return result
    }
}

/// SplitMix64: a small seeded generator, the same sequence on every machine.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
