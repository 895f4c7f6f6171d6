import KeepersCore
import KeepersImaging

/// Counts for the end-of-run summary.
public struct IngestSummary: Sendable {
    public let manifest: [ManifestEntry]
    public let rejected: [RejectedEntry]
    public let scan: ScanResult
    /// Files decoded this run (the rest were reused from the previous run).
    public let decoded: Int
    public let classes: [String]
    /// True when the stored images were made with other image settings or
    /// another decode path (an upgrade), so every photo was decoded again.
    public var settingsChanged = false

    public func count(label: String, split: Split) -> Int {
        manifest.filter { $0.label == label && $0.split == split }.count
    }

    /// A table of accepted photos per class and split, then the refused files.
    public func render(rejectedPath: String, limit: Int = 10) -> String {
        var lines = ["ingest: \(scan.candidates.count) files, \(manifest.count) accepted, \(rejected.count) refused"
            + " (\(decoded) decoded, \(scan.candidates.count - decoded) unchanged since the last run)"]
        if settingsChanged {
            lines.append("  image settings or decode path (\(DecodeRecipe.identity)) changed since the last run:"
                + " every photo decoded again")
        }
        let groups = GroupCounts(manifest)
        lines.append("  \(groups.groups) groups: \(groups.bursts) bursts of 2 or more holding \(groups.photosInBursts) photos,"
            + " largest \(groups.largest); a group's photos share one split")
        if scan.hidden + scan.notFiles + scan.sidecars > 0 {
            lines.append("  skipped: \(scan.hidden) hidden, \(scan.notFiles) not regular files, \(scan.sidecars) XMP sidecars")
        }
        if !scan.outsideClasses.isEmpty {
            lines.append("  ignored outside the class folders: \(scan.outsideClasses.sorted().joined(separator: ", "))")
        }
        let header = ["", "train", "val", "test", "accepted", "refused"]
        var rows = [header]
        for label in classes {
            let counts = Split.allCases.map { count(label: label, split: $0) }
            let refused = rejected.filter { $0.source.hasPrefix(label + "/") }.count
            rows.append([label] + counts.map(String.init) + [String(counts.reduce(0, +)), String(refused)])
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            lines.append("  " + row.enumerated().map { column, text in
                column == 0 ? text.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - text.count + 2) + text
            }.joined())
        }
        if !rejected.isEmpty {
            lines.append("refused (all in \(rejectedPath)):")
            for entry in rejected.prefix(limit) { lines.append("  \(entry.source): \(entry.reason)") }
            if rejected.count > limit { lines.append("  ... and \(rejected.count - limit) more") }
        }
        return lines.joined(separator: "\n")
    }
}
