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

    func run() throws {
        let sets: [(String, [GroupingPhoto])] = state.isEmpty
            ? [("synthetic \(photos)", Self.synthetic(count: photos))]
            : try state.map { ($0, try Self.load(state: $0)) }
        var identical = true
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

    static func timed<T>(_ body: () -> T) -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Random smooth layouts (a few blobs on a gradient, plus noise); every
    /// 10th photo starts a burst of 3: the same layout shifted by up to 2
    /// cells, with its own noise and an exposure step.
    static func synthetic(count: Int) -> [GroupingPhoto] {
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
            result.append(GroupingPhoto(id: String(format: "%08d", index), folder: "all", captured: nil,
                                        signature: VisualSignature(cells: cells)))
        }
        return result
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
