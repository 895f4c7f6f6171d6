import KeepersCore
import Testing
@testable import KeepersNetwork

@Suite struct BoostedTreesTests {
    /// Rows (n, 2) uniform in [-1, 1) from a fixed sequence.
    func rows(_ n: Int, seed: UInt64) -> [Float] {
        var random = SequentialRandom(seed: seed)
        return (0..<(2 * n)).map { _ in Float(random.unit() * 2 - 1) }
    }

    func auc(_ scores: [Float], _ labels: [Float]) -> Double {
        var (pairs, wins) = (0.0, 0.0)
        for (s, y) in zip(scores, labels) where y == 1 {
            for (t, z) in zip(scores, labels) where z == 0 {
                pairs += 1
                wins += s > t ? 1 : (s == t ? 0.5 : 0)
            }
        }
        return wins / pairs
    }

    /// A linear model cannot rank an exclusive or at all; trees must, on points they never saw.
    @Test func learnsAnInteractionALinearModelCannot() throws {
        let xor: (ArraySlice<Float>) -> Float = { ($0[$0.startIndex] > 0) != ($0[$0.startIndex + 1] > 0) ? 1 : 0 }
        let train = rows(400, seed: 1), test = rows(200, seed: 2)
        let labels = (0..<400).map { xor(train[($0 * 2)..<($0 * 2 + 2)]) }
        let trees = try BoostedTrees.fit(rows: train, labels: labels, features: 2, settings: TreeSettings())
        let testLabels = (0..<200).map { xor(test[($0 * 2)..<($0 * 2 + 2)]) }
        #expect(auc(trees.logits(test, n: 200), testLabels) > 0.97)
    }

    /// One split of one tree, learning rate 1, no penalty: each leaf holds
    /// the Newton step -G / H of its rows from the base logit.
    @Test func aLeafIsTheNewtonStepOfItsRows() throws {
        var settings = TreeSettings()
        (settings.iterations, settings.maxLeaves, settings.minLeaf, settings.learningRate, settings.l2) = (1, 2, 1, 1, 0)
        let x: [Float] = [0, 1, 2, 3, 4, 5]
        let y: [Float] = [0, 0, 1, 0, 1, 1]
        let trees = try BoostedTrees.fit(rows: x, labels: y, features: 1, settings: settings)
        #expect(trees.baseLogit == 0)  // half positive
        // With p = 0.5 everywhere, g = 0.5 - y and h = 0.25: the cuts at 1.5
        // and 3.5 both gain 3 (the others 1.2, 0.67, 1.2); a tie goes to the
        // lower threshold, leaving {0, 1} at -1 / 0.5 = -2 and {2..5} at 1 / 1 = 1.
        let root = trees.nodes[Int(trees.roots[0])]
        #expect(root.feature == 0 && root.threshold == 1.5)
        #expect(trees.nodes[Int(root.left)].value == -2)
        #expect(trees.nodes[Int(root.right)].value == 1)
        #expect(trees.logit([0.5]) == -2 && trees.logit([4]) == 1)
    }

    @Test func noLeafHoldsFewerThanMinLeafTrainingRows() throws {
        var settings = TreeSettings()
        (settings.iterations, settings.minLeaf) = (20, 30)
        let x = rows(300, seed: 3)
        let y = (0..<300).map { Float(x[$0 * 2] + 0.3 * x[$0 * 2 + 1] > 0 ? 1 : 0) }
        let trees = try BoostedTrees.fit(rows: x, labels: y, features: 2, settings: settings)
        for root in trees.roots {
            var counts: [Int: Int] = [:]
            for i in 0..<300 {
                var node = Int(root)
                while trees.nodes[node].feature >= 0 {
                    let n = trees.nodes[node]
                    node = Int(x[i * 2 + Int(n.feature)] <= n.threshold ? n.left : n.right)
                }
                counts[node, default: 0] += 1
            }
            #expect(counts.values.allSatisfy { $0 >= 30 })
        }
    }

    @Test func fittingIsDeterministic() throws {
        let x = rows(200, seed: 4)
        let y = (0..<200).map { Float(x[$0 * 2] > 0.1 ? 1 : 0) }
        let first = try BoostedTrees.fit(rows: x, labels: y, features: 2, settings: TreeSettings())
        let second = try BoostedTrees.fit(rows: x, labels: y, features: 2, settings: TreeSettings())
        #expect(first == second)
    }

    /// Each row's cross-fitted logit comes from trees fitted to the other folds only.
    @Test func crossFitScoresEachRowWithTreesThatNeverSawIt() throws {
        var settings = TreeSettings()
        (settings.iterations, settings.minLeaf) = (30, 5)
        let n = 120
        let x = rows(n, seed: 5)
        let y = (0..<n).map { Float(x[$0 * 2] - x[$0 * 2 + 1] > 0 ? 1 : 0) }
        let folds = (0..<n).map { $0 % 3 }
        let crossFit = try BoostedTrees.crossFitLogits(rows: x, labels: y, features: 2, settings: settings, folds: 3, foldOf: folds)
        let kept = (0..<n).filter { folds[$0] != 1 }
        let withoutFold1 = try BoostedTrees.fit(rows: kept.flatMap { x[($0 * 2)..<($0 * 2 + 2)] }, labels: kept.map { y[$0] },
                                                features: 2, settings: settings)
        for i in 0..<n where folds[i] == 1 { #expect(crossFit[i] == withoutFold1.logit(x[(i * 2)..<(i * 2 + 2)])) }
        // ...and so they are less sure of the training rows than the trees of all rows.
        let all = try BoostedTrees.fit(rows: x, labels: y, features: 2, settings: settings)
        let margin = { (logits: [Float]) in zip(logits, y).map { ($1 == 1 ? $0 : -$0) }.reduce(0, +) }
        #expect(margin(crossFit) < margin(all.logits(x, n: n)))
    }

    @Test func refusesOneClassAndNodesOutsideTheTree() {
        #expect(throws: NetworkError.self) {
            try BoostedTrees.fit(rows: [0, 1, 2], labels: [1, 1, 1], features: 1, settings: TreeSettings())
        }
        let node = BoostedTrees.Node(feature: 0, threshold: 0, left: 1, right: 5, value: 0)
        #expect(throws: NetworkError.self) { try BoostedTrees(features: 1, baseLogit: 0, nodes: [node], roots: [0]) }
    }
}
