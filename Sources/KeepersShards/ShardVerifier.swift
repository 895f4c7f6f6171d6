import Foundation
import KeepersCore
import KeepersHDF5

/// One thing wrong with the shards, naming the file it is in.
public struct ShardProblem: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

public struct ShardVerifyReport: Sendable {
    public var problems: [ShardProblem] = []
    public var filesChecked = 0
    public var imagesDecoded = 0

    mutating func add(_ file: URL, _ messages: [String]) {
        problems += messages.map { ShardProblem(file: file.path, message: $0) }
    }
}

/// Checks the shards against the manifest and the index: every bucket and
/// file present, attributes, shapes, dtypes, chunking, compression, counts,
/// ids, labels and repeats as the manifest says, and every image chunk
/// decodes. Collects all problems rather than stopping at the first.
public enum ShardVerifier {
    public static func verify(ingest: IngestSettings, shard: ShardSettings, layout: WorkLayout,
                              context: StageContext) throws -> ShardVerifyReport {
        let manifest = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        let plan = try ShardPlan(manifest: manifest, ingest: ingest, shard: shard, manifestPath: layout.manifest.path, layout: layout)
        var report = ShardVerifyReport()
        let index: ShardIndex
        do { index = try ShardIndex.read(from: layout.shardIndex) } catch {
            report.add(layout.shardIndex, ["\(error)"])
            return report
        }
        report.add(layout.shardIndex, checkHeader(index, plan))

        let progress = context.progress("verify", total: index.buckets.reduce(0) { $0 + $1.count }, unit: "images")
        for record in index.buckets {
            let planned = plan.buckets.first { $0.key == record.key }
            report.add(layout.shardIndex, checkBucket(record, planned).map { "bucket \(record.key): \($0)" })
            // What each file should hold, when the index and manifest agree on the count.
            let expected = planned?.entries.count == record.count ? planned?.entries : nil
            var offset = 0
            for file in record.files {
                let url = layout.shards.appendingPathComponent(file.name)
                let slice = expected.flatMap { offset + file.count <= $0.count ? Array($0[offset..<offset + file.count]) : nil }
                report.add(url, checkFile(url, file, record, slice, plan, &report))
                report.filesChecked += 1
                progress.advance(by: file.count, detail: file.name)
                offset += file.count
            }
        }
        progress.finish()
        for planned in plan.buckets where !index.buckets.contains(where: { $0.key == planned.key }) {
            let count = planned.entries.count
            report.add(layout.shardIndex, ["bucket \(planned.key) (\(count) images in the manifest) is missing from the index"])
        }
        let listed = Set(index.buckets.flatMap { $0.files.map(\.name) })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: layout.shards.path)) ?? []
        for name in present.sorted() where name.hasSuffix(".h5") && !listed.contains(name) {
            report.add(layout.shards.appendingPathComponent(name), ["shard file is not listed in index.json"])
        }
        return report
    }

    static func checkHeader(_ index: ShardIndex, _ plan: ShardPlan) -> [String] {
        var found: [String] = []
        if index.schemaVersion != ShardIndex.currentSchemaVersion {
            found.append("schema version \(index.schemaVersion), expected \(ShardIndex.currentSchemaVersion)")
        }
        if index.ingestFingerprint != plan.ingestFingerprint { found.append("built from other ingest settings (rerun keepers-shard)") }
        if index.compression != plan.settings.compression.rawValue {
            found.append("compression \(index.compression), the config says \(plan.settings.compression.rawValue)")
        }
        if (index.positiveClass, index.negativeClass) != (plan.positiveClass, plan.negativeClass) {
            found.append("classes \(index.positiveClass)/\(index.negativeClass), "
                         + "the config says \(plan.positiveClass)/\(plan.negativeClass)")
        }
        return found
    }

    static func checkBucket(_ record: ShardBucket, _ planned: ShardPlan.Bucket?) -> [String] {
        var found: [String] = []
        let inFiles = record.files.reduce(0) { $0 + $1.count }
        if inFiles != record.count { found.append("its files hold \(inFiles) images, the bucket says \(record.count)") }
        guard let planned else { return found + ["the manifest has no such images"] }
        if planned.entries.count != record.count {
            found.append("count mismatch: the index has \(record.count) images, "
                         + "the manifest \(planned.entries.count) (rerun keepers-shard)")
        } else if planned.fingerprint != record.fingerprint {
            found.append("built from other manifest content or settings (rerun keepers-shard)")
        }
        return found
    }

    /// Problems with one file; an HDF5 error ends its check.
    static func checkFile(_ url: URL, _ file: ShardFileRecord, _ bucket: ShardBucket, _ expected: [ShardEntry]?,
                          _ plan: ShardPlan, _ report: inout ShardVerifyReport) -> [String] {
        guard let size = ShardBuilder.fileSize(url) else { return ["listed in index.json but missing"] }
        var found: [String] = []
        if size != file.bytes { found.append("is \(size) bytes, the index says \(file.bytes) (changed or cut short)") }
        do {
            let shard = try HDF5File.open(at: url)
            found += try checkLayout(shard, file.count, bucket, plan)
            guard found.isEmpty else { return found }
            found += try checkEntries(shard, file, expected, plan)
            // Reading each image runs its chunk through the whole filter pipeline.
            let images = try shard.dataset("images")
            var pixels = [UInt8](repeating: 0, count: bucket.height * bucket.width * 3)
            for i in 0..<file.count {
                try pixels.withUnsafeMutableBufferPointer {
                    try images.read(start: [i, 0, 0, 0], count: [1, bucket.height, bucket.width, 3], into: $0)
                }
                report.imagesDecoded += 1
            }
        } catch let error as HDF5Error where error.path == url.path {
            found.append(error.messageWithoutPath)
        } catch {
            found.append("\(error)")
        }
        return found
    }

    /// Attributes, dataset types and shapes, chunking and filters.
    static func checkLayout(_ shard: HDF5File, _ n: Int, _ bucket: ShardBucket, _ plan: ShardPlan) throws -> [String] {
        let (h, w) = (bucket.height, bucket.width)
        let attributes: [(String, HDF5AttributeValue)] = [
            ("schema_version", .int(ShardIndex.currentSchemaVersion)), ("split", .string(bucket.split.rawValue)),
            ("height", .int(h)), ("width", .int(w)), ("bucket_fingerprint", .string(bucket.fingerprint)),
            ("ingest_fingerprint", .string(plan.ingestFingerprint)),
        ]
        var found = try attributes.compactMap { name, value -> String? in
            let actual = try shard.hasAttribute(name) ? try shard.attribute(name) : nil
            return actual == value ? nil : "attribute \(name) is \(actual.map { "\($0)" } ?? "missing"), expected \(value)"
        }
        let datasets: [(String, HDF5ElementType, [Int])] = [
            ("images", .uint8, [n, h, w, 3]), ("labels", .uint8, [n]), ("ids", .string, [n]), ("repeats", .float64, [n]),
        ]
        for (name, type, shape) in datasets {
            let dataset = try shard.dataset(name)
            if dataset.elementType != type || dataset.shape != shape {
                found.append("\(name) is \(dataset.elementType) \(dataset.shape), expected \(type) \(shape)")
            }
        }
        let images = try shard.dataset("images")
        if images.chunkShape != [1, h, w, 3] {
            found.append("images are chunked as \(images.chunkShape.map { "\($0)" } ?? "contiguous"), expected [1, \(h), \(w), 3]")
        }
        let filters: [HDF5Filter] = plan.settings.compression == .gzip ? [.shuffle, .gzip(level: plan.settings.gzipLevel)] : []
        if images.filters != filters { found.append("images have filters \(images.filters), expected \(filters)") }
        return found
    }

    /// Class counts against the index; ids, labels and repeats against the manifest.
    static func checkEntries(_ shard: HDF5File, _ file: ShardFileRecord, _ expected: [ShardEntry]?,
                             _ plan: ShardPlan) throws -> [String] {
        let ids = try shard.dataset("ids").readStrings()
        let labels = try shard.dataset("labels").read(UInt8.self)
        let repeats = try shard.dataset("repeats").read(Double.self)
        var found: [String] = []
        let positives = labels.reduce(0) { $0 + Int($1) }
        let counts = [plan.positiveClass: positives, plan.negativeClass: labels.count - positives]
        if counts != file.classCounts { found.append("class counts \(counts), the index says \(file.classCounts)") }
        if let expected, let i = expected.indices.first(where: {
            (ids[$0], labels[$0], repeats[$0]) != (expected[$0].id, expected[$0].label, expected[$0].repeat)
        }) {
            found.append("image \(i) is \(ids[i]) (label \(labels[i]), repeat \(repeats[i])); the manifest says "
                         + "\(expected[i].id) (label \(expected[i].label), repeat \(expected[i].repeat))")
        }
        return found
    }
}
