// Measures burst grouping (docs/groups.md) and checks it against the
// row-by-row kernel of earlier releases: photos without capture times in one
// folder are compared pairwise, so this is the cost that grows with the
// square of the folder.
//
// Usage:
//   keepers-bench-groups [--photos 10000] [--threads 1] [--reference]
//       synthetic signatures, all untimed, in one folder, a burst of 3 every 10 photos;
//   keepers-bench-groups --state work/x/ingest/state.json [--state ...] [--reference]
//       the signatures ingest stored (each state file's photos on their own).
// --reference also groups with the old kernel, prints both times and whether
// the groups are identical (exit status 1 when they are not).
// --compare-index groups with the untimed index forced on (UntimedSearch.indexed)
// and, unless --no-exhaustive, with every pair compared; prints pairs
// compared, links found and missed (with the similarity of the missed ones),
// groups that differ and CPU seconds of each.
// --shuffle-ids gives the synthetic photos random ids, so that id order (the
// index's name probe) says nothing about bursts and only the layout trees find them.
// --natural: SyntheticLibrary's layouts (1/f waves and hard edges, bursts of
// 2-6 panned frames, links from about 0.45 to 1) instead of the smooth blobs,
// whose noise-dominated gradients rarely link.
import ArgumentParser
import Foundation
import KeepersCore
import KeepersGroups

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-bench-groups",
        abstract: "Benchmark burst grouping of photos without capture times; compare with the reference kernel.")

    @Option(help: "Synthetic photos, all untimed, in one folder (ignored with --state).") var photos = 10_000
    @Option(help: "An ingest state.json whose stored signatures to group (repeatable).") var state: [String] = []
    @Option(help: "Threads.") var threads = 1
    @Flag(help: "Also group with the row-by-row kernel of earlier releases and compare.") var reference = false
    @Flag(help: "Group with the untimed index forced on and compare with the exhaustive search.") var compareIndex = false
    @Flag(help: "With --compare-index: skip the exhaustive search (too slow for large folders).") var noExhaustive = false
    @Flag(help: "Synthetic photos get random ids instead of ids in burst order.") var shuffleIds = false
    @Option(help: "Index: random-projection trees.") var trees = UntimedIndex.Parameters().trees
    @Option(help: "Index: largest leaf of a tree.") var leafSize = UntimedIndex.Parameters().leafSize
    @Option(help: "Index: neighbours in id order compared with each photo.") var nameWindow = UntimedIndex.Parameters().nameWindow
    @Option(help: "With --compare-index --no-exhaustive: compare this many photos (evenly spaced in id order) with their whole folder and count the links of theirs the index missed.") var sample = 0
    @Flag(help: "Natural-looking synthetic layouts with bursts of 2-6 panned frames (SyntheticLibrary).") var natural = false

    func run() throws {
        let sets: [(String, [GroupingPhoto])] = state.isEmpty
            ? [(natural ? "natural \(photos)" : "synthetic \(photos)",
                natural ? SyntheticLibrary.photos(count: photos, shuffleIds: shuffleIds)
                    : Self.synthetic(count: photos, shuffleIds: shuffleIds))]
            : try state.map { ($0, try Self.load(state: $0)) }
        var identical = true
        if compareIndex {
            for (name, set) in sets { compare(name: name, set) }
            return
        }
        for (name, set) in sets {
            let untimed = set.filter { $0.captured == nil }.count
            let (groups, seconds) = Self.timed { BurstGrouper.groups(set, settings: GroupSettings(), threads: threads) }
            let sizes = Dictionary(grouping: groups, by: { $0 }).values.map(\.count)
            print("\(name): \(set.count) photos (\(untimed) untimed), \(sizes.count) groups, largest \(sizes.max() ?? 0), "
                  + String(format: "grouping %.2f s", seconds))
            guard reference else { continue }
            let (old, oldSeconds) = Self.timed {
                BurstGrouper.groups(set, settings: GroupSettings(), threads: threads, referenceKernel: true)
            }
            let same = old == groups
            identical = identical && same
            print(String(format: "  reference kernel %.2f s (%.1fx), groups identical: %@", oldSeconds,
                         oldSeconds / max(seconds, 1e-9), same ? "yes" : "NO"))
        }
        if !identical { throw ExitCode(1) }
    }

    /// Exhaustive search against the index: links and groups.
    func compare(name: String, _ set: [GroupingPhoto]) {
        let untimed = set.filter { $0.captured == nil }.count
        print("\(name): \(set.count) photos (\(untimed) untimed)")
        let (indexed, indexSeconds) = Self.cpuTimed {
            BurstGrouper.grouping(set, settings: GroupSettings(), threads: threads, referenceKernel: false, search: .indexed,
                                  index: UntimedIndex.Parameters(nameWindow: nameWindow, trees: trees, leafSize: leafSize))
        }
        print(String(format: "  indexed:    %12d pairs compared, %7d links, %6d groups, largest %3d, %8.2f CPU s",
                     indexed.pairsCompared, indexed.untimedLinks.count, Set(indexed.groups).count,
                     Self.largest(indexed.groups), indexSeconds))
        guard !noExhaustive else {
            if sample > 0 { sampleRecall(set, indexed: indexed.untimedLinks) }
            return
        }
        let (exact, exactSeconds) = Self.cpuTimed {
            BurstGrouper.grouping(set, settings: GroupSettings(), threads: threads, search: .exhaustive)
        }
        print(String(format: "  exhaustive: %12d pairs compared, %7d links, %6d groups, largest %3d, %8.2f CPU s",
                     exact.pairsCompared, exact.untimedLinks.count, Set(exact.groups).count,
                     Self.largest(exact.groups), exactSeconds))
        let found = Set(indexed.untimedLinks.map { "\($0.a) \($0.b)" })
        let missed = exact.untimedLinks.filter { !found.contains("\($0.a) \($0.b)") }.map(\.similarity).sorted()
        // A group differs when its exact set of photos is not a group of the other search.
        func members(_ groups: [String]) -> Set<[Int]> {
            Set(Dictionary(grouping: groups.indices, by: { groups[$0] }).values.map { $0.sorted() })
        }
        let exactGroups = members(exact.groups), indexedGroups = members(indexed.groups)
        let differing = exactGroups.subtracting(indexedGroups)
        let weak = exact.untimedLinks.count(where: { $0.similarity < 0.6 })
        var line = "  missed \(missed.count) of \(exact.untimedLinks.count) links (\(weak) below 0.6)"
        if !missed.isEmpty {
            line += String(format: " (similarity %.3f-%.3f, median %.3f)", missed.first!, missed.last!, missed[missed.count / 2])
        }
        print(line + "; \(differing.count) of \(exactGroups.count) exhaustive groups differ "
              + "(\(differing.filter { $0.count > 1 }.count) bursts, \(differing.reduce(0) { $0 + $1.count }) photos)")
    }

    /// The index's recall on a sample: each sampled photo against its whole
    /// folder (as the exhaustive search would), its links looked up among
    /// those the index found.
    func sampleRecall(_ set: [GroupingPhoto], indexed: [(a: String, b: String, similarity: Double)]) {
        let threshold = GroupSettings().similarityUntimed
        let order = set.indices.sorted { set[$0].id < set[$1].id }
        let chosen = Array(stride(from: 0, to: order.count, by: max(1, order.count / sample)).map { order[$0] }.prefix(sample))
        let (links, seconds) = Self.cpuTimed {
            parallelMap(count: chosen.count, threads: threads) { position -> [(String, Double)] in
                let a = chosen[position]
                return set.indices.compactMap { b in
                    guard b != a, set[a].folder == set[b].folder, set[a].captured == nil || set[b].captured == nil,
                          let similarity = set[a].signature.similarity(to: set[b].signature, atLeast: threshold)
                    else { return nil }
                    let (x, y) = set[a].id < set[b].id ? (set[a].id, set[b].id) : (set[b].id, set[a].id)
                    return ("\(x) \(y)", similarity)
                }
            }.flatMap { $0 }
        }
        let found = Set(indexed.map { "\($0.a) \($0.b)" })
        let missed = links.filter { !found.contains($0.0) }.map(\.1).sorted()
        var line = "  sample of \(chosen.count) photos against their folder (" + String(format: "%.1f CPU s", seconds)
            + "): \(links.count) links, \(links.count(where: { $0.1 < 0.6 })) below 0.6; the index missed \(missed.count)"
        if !missed.isEmpty {
            line += String(format: " (similarity %.3f-%.3f, median %.3f)", missed.first!, missed.last!, missed[missed.count / 2])
        }
        print(line)
    }

    static func largest(_ groups: [String]) -> Int {
        Dictionary(grouping: groups, by: { $0 }).values.map(\.count).max() ?? 0
    }

    /// CPU seconds of the whole process (all threads) while `body` runs.
    static func cpuTimed<T>(_ body: () -> T) -> (T, Double) {
        func now() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let start = now()
        let value = body()
        return (value, now() - start)
    }

    static func timed<T>(_ body: () -> T) -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Random smooth layouts (a few blobs on a gradient, plus noise); every
    /// 10th photo starts a burst of 3: the same layout shifted by up to 2
    /// cells, with its own noise and an exposure step.
    static func synthetic(count: Int, shuffleIds: Bool = false) -> [GroupingPhoto] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        let n = VisualSignature.side
        var result: [GroupingPhoto] = []
        var layout: [Double] = []
        for index in 0..<count {
            let frame = index % 10
            if frame == 0 || frame > 2 {
                let blobs = (0..<6).map { _ in (uniform() * 40 - 4, uniform() * 40 - 4, 2 + uniform() * 8, uniform() * 160 - 80) }
                let (gx, gy) = (uniform() * 4 - 2, uniform() * 4 - 2)
                layout = (0..<(n * n)).map { cell in
                    let (row, column) = (Double(cell / n), Double(cell % n))
                    var value = 128 + gx * (column - 16) + gy * (row - 16)
                    for (x, y, radius, height) in blobs {
                        let d2 = (column - x) * (column - x) + (row - y) * (row - y)
                        value += height * exp(-d2 / (2 * radius * radius))
                    }
                    return value
                }
            }
            let (dx, dy) = frame == 0 || frame > 2 ? (0, 0) : (Int(next() % 5) - 2, Int(next() % 5) - 2)
            let gain = frame == 0 || frame > 2 ? 1.0 : 0.8 + uniform() * 0.4
            let cells = (0..<(n * n)).map { cell -> UInt8 in
                let row = min(max(cell / n + dy, 0), n - 1), column = min(max(cell % n + dx, 0), n - 1)
                return UInt8(clamping: Int((layout[row * n + column] * gain + uniform() * 12 - 6).rounded()))
            }
            // Shuffled: a hash of the index, so burst frames are scattered in id order.
            let id = shuffleIds ? String(format: "%016llx", Self.mix(UInt64(index))) + String(format: "-%08d", index)
                : String(format: "%08d", index)
            result.append(GroupingPhoto(id: id, folder: "all", captured: nil,
                                        signature: VisualSignature(cells: cells)))
        }
        return result
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The accepted photos of an ingest state file: id = sha256 prefix as
    /// ingest names them is not needed here, the sha256 serves; folder = the
    /// path's folders without the class folder (labels from folders).
    static func load(state path: String) throws -> [GroupingPhoto] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = root["files"] as? [[String: Any]] else { throw ValidationError("\(path): no files") }
        return files.compactMap { file in
            guard let base64 = file["signature"] as? String, let signature = VisualSignature(base64: base64),
                  let sha = file["sha256"] as? String, let pathBase64 = file["path"] as? String,
                  let bytes = Data(base64Encoded: pathBase64) else { return nil }
            let components = String(decoding: bytes, as: UTF8.self).split(separator: "/", omittingEmptySubsequences: false)
            let folder = components.dropLast().dropFirst().joined(separator: "/")
            return GroupingPhoto(id: sha, folder: folder, captured: (file["captured"] as? String).flatMap(CaptureTime.init(text:)),
                                 signature: signature)
        }
    }
}

Options.main()
