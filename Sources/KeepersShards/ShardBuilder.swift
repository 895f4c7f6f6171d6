import Foundation
import KeepersCore

/// What a build did.
public struct ShardBuildSummary: Equatable, Sendable, CustomStringConvertible {
    public var bucketsWritten = 0
    public var bucketsKept = 0
    public var filesWritten: [String] = []
    public var filesRemoved: [String] = []
    public var images = 0
    public var indexWritten = false

    public var description: String {
        "\(images) images in \(bucketsWritten + bucketsKept) buckets: \(bucketsWritten) rebuilt "
            + "(\(filesWritten.count) files), \(bucketsKept) unchanged; \(filesRemoved.count) old files removed"
            + (indexWritten ? "" : "; index unchanged")
    }
}

/// Builds `shards/` from the ingest manifest, incrementally and crash-safely:
/// 1. each file is written under a temporary name and renamed into place;
///    names carry the bucket fingerprint, so a new file never replaces one
///    the current index points to;
/// 2. the index is written (atomically) only after all its files exist;
/// 3. files the new index no longer lists are deleted last.
/// A crash at any point leaves the old index with its files, or the new one.
public enum ShardBuilder {
    /// Reads the ingest section (what made the manifest: classes, the
    /// fingerprint its images carry, the backbone) and the shard section.
    public static func build(ingest: IngestSettings, shard: ShardSettings, layout: WorkLayout,
                             context: StageContext) throws -> ShardBuildSummary {
        let manifest = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        let plan = try ShardPlan(manifest: manifest, ingest: ingest, shard: shard, manifestPath: layout.manifest.path, layout: layout)
        let folder = layout.shards
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(in: folder)
        let old = try? ShardIndex.read(from: layout.shardIndex)

        var summary = ShardBuildSummary(images: manifest.count)
        var buckets: [ShardBucket] = []
        var toWrite: [ShardPlan.Bucket] = []
        for bucket in plan.buckets {
            if let kept = reusable(bucket, old: old, folder: folder) {
                buckets.append(kept)
                summary.bucketsKept += 1
            } else {
                toWrite.append(bucket)
            }
        }
        let progress = context.progress("shard", total: toWrite.reduce(0) { $0 + $1.entries.count }, unit: "images")
        for bucket in toWrite {
            buckets.append(try write(bucket, plan: plan, layout: layout, progress: progress, summary: &summary))
            summary.bucketsWritten += 1
        }
        if !toWrite.isEmpty { progress.finish() }
        buckets.sort { $0.key < $1.key }

        let index = ShardIndex(schemaVersion: ShardIndex.currentSchemaVersion, ingestFingerprint: plan.ingestFingerprint,
                               compression: plan.settings.compression.rawValue, positiveClass: plan.positiveClass,
                               negativeClass: plan.negativeClass, buckets: buckets, backbone: plan.backbone)
        let bytes = index.encoded()
        if (try? Data(contentsOf: layout.shardIndex)) != bytes {
            try AtomicFile.write(bytes, to: layout.shardIndex)
            summary.indexWritten = true
        }
        summary.filesRemoved = try removeUnlisted(in: folder, keeping: index)
        return summary
    }

    /// The old index's record of `bucket`, if its fingerprint matches and its
    /// files are still there at their recorded sizes.
    static func reusable(_ bucket: ShardPlan.Bucket, old: ShardIndex?, folder: URL) -> ShardBucket? {
        guard let record = old?.buckets.first(where: { $0.fingerprint == bucket.fingerprint }),
              record.files.map(\.name) == bucket.files.map(\.name),
              record.files.allSatisfy({ fileSize(folder.appendingPathComponent($0.name)) == $0.bytes })
        else { return nil }
        return record
    }

    static func write(_ bucket: ShardPlan.Bucket, plan: ShardPlan, layout: WorkLayout, progress: KeepersCore.Progress,
                      summary: inout ShardBuildSummary) throws -> ShardBucket {
        var files: [ShardFileRecord] = []
        for (name, range) in bucket.files {
            let url = layout.shards.appendingPathComponent(name)
            try AtomicFile.write(to: url) { temp in
                try ShardWriter.write(bucket, range: range, plan: plan, layout: layout, to: temp, name: name,
                                       progress: progress)
            }
            summary.filesWritten.append(name)
            files.append(ShardFileRecord(name: name, count: range.count,
                                         classCounts: bucket.classCounts(range, positive: plan.positiveClass,
                                                                         negative: plan.negativeClass),
                                         bytes: fileSize(url) ?? 0))
        }
        let all = bucket.entries.indices
        return ShardBucket(split: bucket.split, height: bucket.height, width: bucket.width, count: bucket.entries.count,
                           classCounts: bucket.classCounts(all, positive: plan.positiveClass, negative: plan.negativeClass),
                           repeatSum: bucket.entries.reduce(0) { $0 + $1.repeat }, fingerprint: bucket.fingerprint,
                           files: files)
    }

    /// Deletes `.h5` files that `index` does not list; returns their names.
    static func removeUnlisted(in folder: URL, keeping index: ShardIndex) throws -> [String] {
        let listed = Set(index.buckets.flatMap { $0.files.map(\.name) })
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let stale = names.filter { $0.hasSuffix(".h5") && !listed.contains($0) }.sorted()
        for name in stale { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        return stale
    }

    static func fileSize(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
    }
}
