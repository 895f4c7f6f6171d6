import Foundation
import KeepersXMP

/// `keepers-predict --xmp`: every scored photo's verdict into its XMP
/// sidecar (SidecarWriter). One photo's failure is reported and the rest go on.
public enum SidecarExport {
    public struct Outcome: Sendable {
        public let path: String
        public let result: Result<SidecarChange, any Error>
    }

    /// With `bestOfGroup`, a photo that is not the best of its burst gets
    /// one star less than the best one (at least 1) and no keeper label.
    public static func write(_ predictions: [Prediction], with writer: SidecarWriter, dryRun: Bool,
                             bestOfGroup: Bool = false) -> [Outcome] {
        var owners: [String: String] = [:]  // sidecar path -> the photo that wrote it this run
        var bestStars: [Int: Int] = [:]  // group -> stars of its rank-1 photo
        for prediction in predictions where prediction.rank == 1 {
            if let group = prediction.group, let score = prediction.score { bestStars[group] = writer.scale.stars(score) }
        }
        return predictions.compactMap { prediction in
            guard let score = prediction.score else { return nil }
            let photo = URL(fileURLWithPath: prediction.path)
            let sidecar = writer.naming.url(for: photo).path
            if let owner = owners[sidecar] {
                // `IMG_0001.xmp` for both IMG_0001.CR2 and IMG_0001.JPG.
                return Outcome(path: prediction.path, result: .failure(SidecarClash(sidecar: sidecar, owner: owner)))
            }
            owners[sidecar] = prediction.path
            let outranked = bestOfGroup && (prediction.rank ?? 1) > 1
                ? prediction.group.flatMap { bestStars[$0] }.map { $0 - 1 } : nil
            return Outcome(path: prediction.path, result: Result {
                try writer.update(photo: photo, score: score, outranked: outranked, dryRun: dryRun)
            })
        }
    }

    /// What to tell the user: each failure, with --dry-run each change, then the counts.
    public static func messages(_ outcomes: [Outcome], dryRun: Bool) -> [String] {
        var lines: [String] = []
        var counts = (changed: 0, unchanged: 0, failed: 0)
        for outcome in outcomes {
            switch outcome.result {
            case let .success(change) where change.changed:
                counts.changed += 1
                if dryRun { lines.append("would write \(change)") }
            case .success: counts.unchanged += 1
            case let .failure(error):
                counts.failed += 1
                lines.append("\(outcome.path): \(error)")
            }
        }
        lines.append("XMP sidecars: \(counts.changed) \(dryRun ? "would change" : "changed"), \(counts.unchanged) unchanged, \(counts.failed) failed")
        return lines
    }
}

struct SidecarClash: Error, CustomStringConvertible {
    let sidecar: String
    let owner: String
    var description: String {
        "\(sidecar) is also the sidecar of \(owner), written first; --xmp-name full gives each photo its own"
    }
}
