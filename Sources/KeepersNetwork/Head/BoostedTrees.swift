import Foundation
import KeepersCore

/// Gradient-boosted regression trees for a binary label: a logit that is the
/// base logit plus the sum of every tree's leaf value (docs/model.md, "trees").
///
/// Written here because no package this project may use grows trees; the
/// algorithm is the one of scikit-learn's HistGradientBoostingClassifier,
/// which `bench/quality/baseline.py` measures: log-loss gradients and
/// hessians, each feature binned at quantile thresholds, trees grown best
/// gain first up to `maxLeaves`, each side of a split holding at least
/// `minLeaf` images. Sequential, in a fixed order, ties to the lower feature
/// and threshold: the same inputs give bitwise the same trees.
public struct BoostedTrees: Sendable, Equatable {
    /// One node; a leaf has `feature` -1. Go left when `x[feature] <= threshold`.
    public struct Node: Sendable, Equatable {
        public var feature: Int32
        public var threshold: Float
        public var left: Int32
        public var right: Int32
        public var value: Float

        public init(feature: Int32, threshold: Float, left: Int32, right: Int32, value: Float) {
            self.feature = feature
            self.threshold = threshold
            self.left = left
            self.right = right
            self.value = value
        }
    }

    /// Features each input row holds.
    public let features: Int
    public let baseLogit: Float
    /// Every tree's nodes, tree after tree; `roots` says where each starts.
    public let nodes: [Node]
    public let roots: [Int32]

    public init(features: Int, baseLogit: Float, nodes: [Node], roots: [Int32]) throws {
        for node in nodes where node.feature >= 0 {
            guard Int(node.feature) < features, node.left >= 0, Int(node.left) < nodes.count,
                  node.right >= 0, Int(node.right) < nodes.count else {
                throw NetworkError.invalidModel("a tree node points outside the \(nodes.count) nodes or \(features) features")
            }
        }
        guard roots.allSatisfy({ $0 >= 0 && Int($0) < nodes.count }) else {
            throw NetworkError.invalidModel("a tree root points outside the \(nodes.count) nodes")
        }
        self.features = features
        self.baseLogit = baseLogit
        self.nodes = nodes
        self.roots = roots
    }

    /// The logit of one row of `features` values.
    public func logit(_ row: ArraySlice<Float>) -> Float {
        precondition(row.count == features, "\(row.count) values for trees on \(features) features")
        let first = row.startIndex
        var sum = baseLogit
        for root in roots {
            var index = Int(root)
            // Children always come after their parent, so a walk ends; the
            // depth bound guards a hand-edited file with a cycle.
            for _ in 0..<nodes.count {
                let node = nodes[index]
                guard node.feature >= 0 else { break }
                index = Int(row[first + Int(node.feature)] <= node.threshold ? node.left : node.right)
            }
            sum += nodes[index].value
        }
        return sum
    }
}

extension BoostedTrees {
    /// Fits trees to rows (n, features) and labels (0 or 1) with `settings`.
    public static func fit(rows: [Float], labels: [Float], features: Int, settings: TreeSettings) throws -> BoostedTrees {
        let n = labels.count
        guard n > 0, rows.count == n * features, features > 0 else {
            throw NetworkError.invalidInput("\(rows.count) values for \(n) rows of \(features) features")
        }
        let positives = labels.reduce(0, +)
        guard positives > 0, positives < Float(n) else {
            throw NetworkError.invalidInput("boosted trees need both classes among the \(n) training images")
        }
        let binned = BinnedRows(rows: rows, n: n, features: features, maxBins: settings.bins)
        let base = Float(log(Double(positives) / Double(Float(n) - positives)))
        var raw = [Float](repeating: base, count: n)
        var nodes: [Node] = []
        var roots: [Int32] = []
        var gradients = [Float](repeating: 0, count: n), hessians = [Float](repeating: 0, count: n)
        for _ in 0..<settings.iterations {
            for i in 0..<n {
                let p = sigmoid(raw[i])
                gradients[i] = p - labels[i]
                hessians[i] = max(p * (1 - p), 1e-16)
            }
            var grower = TreeGrower(binned: binned, gradients: gradients, hessians: hessians, settings: settings)
            let tree = grower.grow()
            roots.append(Int32(nodes.count))
            let offset = Int32(nodes.count)
            for var node in tree.nodes {
                if node.feature >= 0 { node.left += offset; node.right += offset }
                nodes.append(node)
            }
            for (leaf, members) in tree.leafMembers {
                let value = tree.nodes[leaf].value
                for i in members { raw[i] += value }
            }
        }
        return try BoostedTrees(features: features, baseLogit: base, nodes: nodes, roots: roots)
    }

    /// Each row's logit from trees fitted without it (`CrossFit`).
    public static func crossFitLogits(rows: [Float], labels: [Float], features: Int, settings: TreeSettings,
                                      folds: Int, foldOf: [Int]) throws -> [Float] {
        try CrossFit.logits(rows: rows, labels: labels, features: features, folds: folds, foldOf: foldOf,
                            all: try fit(rows: rows, labels: labels, features: features, settings: settings)) {
            try fit(rows: $0, labels: $1, features: features, settings: settings)
        }
    }
}

/// Every feature of every row as a bin number, with the thresholds between bins.
struct BinnedRows {
    let n: Int
    let features: Int
    /// (features, n) bin of each row, feature-major so a histogram reads one run.
    let bins: [UInt8]
    /// Per feature: threshold j separates bin j (x <= threshold) from bin j + 1.
    let thresholds: [[Float]]

    init(rows: [Float], n: Int, features: Int, maxBins: Int) {
        self.n = n
        self.features = features
        var bins = [UInt8](repeating: 0, count: n * features)
        var thresholds: [[Float]] = []
        let limit = max(2, min(maxBins, 256))
        for f in 0..<features {
            let distinct = Array(Set((0..<n).map { rows[$0 * features + f] })).sorted()
            var cuts: [Float] = []
            if distinct.count <= limit {
                for j in 0..<(distinct.count - 1) { cuts.append(midpoint(distinct[j], distinct[j + 1])) }
            } else {
                // Quantiles of the distinct values, as scikit-learn bins many distinct values.
                for q in 1..<limit {
                    let position = Double(q) * Double(distinct.count - 1) / Double(limit)
                    let lower = Int(position.rounded(.down))
                    let cut = midpoint(distinct[lower], distinct[min(lower + 1, distinct.count - 1)])
                    if cuts.last.map({ cut > $0 }) ?? true { cuts.append(cut) }
                }
            }
            for i in 0..<n { bins[f * n + i] = UInt8(Self.bin(of: rows[i * features + f], cuts: cuts)) }
            thresholds.append(cuts)
        }
        self.bins = bins
        self.thresholds = thresholds
    }

    /// The number of cuts below x: x <= cuts[b] and x > cuts[b - 1].
    static func bin(of x: Float, cuts: [Float]) -> Int {
        var (low, high) = (0, cuts.count)
        while low < high {
            let mid = (low + high) / 2
            if x <= cuts[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

private func midpoint(_ a: Float, _ b: Float) -> Float { a + (b - a) / 2 }

/// Grows one tree on the current gradients, best split first.
private struct TreeGrower {
    struct Split {
        let gain: Float
        let feature: Int
        let bin: Int
    }

    struct Candidate {
        let node: Int
        let members: [Int]
        let split: Split
    }

    let binned: BinnedRows
    let gradients: [Float]
    let hessians: [Float]
    let settings: TreeSettings
    var nodes: [BoostedTrees.Node] = []
    var leafMembers: [(Int, [Int])] = []

    init(binned: BinnedRows, gradients: [Float], hessians: [Float], settings: TreeSettings) {
        self.binned = binned
        self.gradients = gradients
        self.hessians = hessians
        self.settings = settings
    }

    mutating func grow() -> (nodes: [BoostedTrees.Node], leafMembers: [(Int, [Int])]) {
        let everyone = Array(0..<binned.n)
        nodes.append(leaf(everyone))
        var open: [Candidate] = []
        if let split = bestSplit(everyone) { open.append(Candidate(node: 0, members: everyone, split: split)) }
        var finished: [(Int, [Int])] = []
        var leaves = 1
        while leaves < settings.maxLeaves, !open.isEmpty {
            // Highest gain first; ties to the node made first.
            let pick = open.indices.max { open[$0].split.gain < open[$1].split.gain
                || (open[$0].split.gain == open[$1].split.gain && open[$0].node > open[$1].node) }!
            let candidate = open.remove(at: pick)
            let (feature, bin) = (candidate.split.feature, candidate.split.bin)
            let column = feature * binned.n
            let left = candidate.members.filter { Int(binned.bins[column + $0]) <= bin }
            let right = candidate.members.filter { Int(binned.bins[column + $0]) > bin }
            let (l, r) = (nodes.count, nodes.count + 1)
            nodes.append(leaf(left))
            nodes.append(leaf(right))
            nodes[candidate.node] = BoostedTrees.Node(feature: Int32(feature), threshold: binned.thresholds[feature][bin],
                                                      left: Int32(l), right: Int32(r), value: 0)
            leaves += 1
            for (node, members) in [(l, left), (r, right)] {
                if let split = bestSplit(members) {
                    open.append(Candidate(node: node, members: members, split: split))
                } else {
                    finished.append((node, members))
                }
            }
        }
        leafMembers = finished + open.map { ($0.node, $0.members) }
        return (nodes, leafMembers)
    }

    /// A leaf whose value is the shrunk Newton step -G / (H + l2).
    func leaf(_ members: [Int]) -> BoostedTrees.Node {
        var (g, h) = (Float(0), Float(0))
        for i in members { g += gradients[i]; h += hessians[i] }
        let value = -Float(settings.learningRate) * g / (h + Float(settings.l2))
        return BoostedTrees.Node(feature: -1, threshold: 0, left: -1, right: -1, value: value)
    }

    /// The split of `members` with the largest positive gain, or nil.
    func bestSplit(_ members: [Int]) -> Split? {
        guard members.count >= 2 * settings.minLeaf else { return nil }
        let l2 = Float(settings.l2)
        var (gTotal, hTotal) = (Float(0), Float(0))
        for i in members { gTotal += gradients[i]; hTotal += hessians[i] }
        let parentScore = gTotal * gTotal / (hTotal + l2)
        var best: Split?
        var gHistogram = [Float](repeating: 0, count: 256), hHistogram = [Float](repeating: 0, count: 256)
        var countHistogram = [Int](repeating: 0, count: 256)
        for feature in 0..<binned.features {
            let cuts = binned.thresholds[feature].count
            guard cuts > 0 else { continue }
            for b in 0...cuts { gHistogram[b] = 0; hHistogram[b] = 0; countHistogram[b] = 0 }
            let column = feature * binned.n
            for i in members {
                let b = Int(binned.bins[column + i])
                gHistogram[b] += gradients[i]
                hHistogram[b] += hessians[i]
                countHistogram[b] += 1
            }
            var (gLeft, hLeft, countLeft) = (Float(0), Float(0), 0)
            for b in 0..<cuts {
                gLeft += gHistogram[b]
                hLeft += hHistogram[b]
                countLeft += countHistogram[b]
                let countRight = members.count - countLeft
                if countLeft < settings.minLeaf { continue }
                if countRight < settings.minLeaf { break }
                let (gRight, hRight) = (gTotal - gLeft, hTotal - hLeft)
                guard hLeft >= 1e-3, hRight >= 1e-3 else { continue }
                let gain = gLeft * gLeft / (hLeft + l2) + gRight * gRight / (hRight + l2) - parentScore
                if gain > 0, gain > (best?.gain ?? 0) { best = Split(gain: gain, feature: feature, bin: b) }
            }
        }
        return best
    }
}
