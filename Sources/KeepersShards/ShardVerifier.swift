import Foundation
import KeepersConfig
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
}

/// Checks the shards against the manifest and the index: every bucket and
/// file present, attributes, shapes, dtypes, chunking, compression, counts,
/// ids, labels and repeats as the manifest says, and every image chunk
/// decodes. Collects all problems rather than stopping at the first.
public enum ShardVerifier {
    public static func verify(config: PipelineConfig, layout: WorkLayout,
                              progress makeProgress: (Int) -> KeepersCore.Progress = {
                                  KeepersCore.Progress("verify", total: $0, unit: "images")
                              }) throws -> ShardVerifyReport {
        let manifest = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        let plan = try ShardPlan(manifest: manifest, config: config, manifestPath: layout.manifest.path)
        var report = ShardVerifyReport()
        let indexPath = layout.shardIndex.path
        let index: ShardIndex
        do { index = try ShardIndex.read(from: layout.shardIndex) } catch {
            report.problems.append(ShardProblem(file: indexPath, message: "\(error)"))
            return report
        }
        report.problems += checkHeader(index, plan, indexPath)

        let progress = makeProgress(index.buckets.reduce(0) { $0 + $1.count })
        for record in index.buckets {
            let name = "bucket \(record.split.rawValue) \(record.height)x\(record.width)"
            let planned = plan.buckets.first { ($0.split, $0.height, $0.width) == (record.split, record.height, record.width) }
            let fileTotal = record.files.reduce(0) { $0 + $1.count }
            if fileTotal != record.count {
                report.problems.append(.init(file: indexPath, message: "\(name): files hold \(fileTotal) images, the bucket says \(record.count)"))
            }
            if let planned, planned.entries.count != record.count {
                report.problems.append(.init(file: indexPath, message: "\(name): count mismatch: the index has \(record.count) images, the manifest \(planned.entries.count) (rerun keepers-shard)"))
            } else if let planned, planned.fingerprint != record.fingerprint {
                report.problems.append(.init(file: indexPath, message: "\(name): built from other manifest content or settings (rerun keepers-shard)"))
            } else if planned == nil {
                report.problems.append(.init(file: indexPath, message: "\(name): the manifest has no such images"))
            }
            // Expected entries per file, when the index and manifest agree on the count.
            var offset = 0
            for file in record.files {
                let expected = planned.flatMap { p in offset + file.count <= p.entries.count && p.entries.count == record.count
                    ? Array(p.entries[offset..<offset + file.count]) : nil }
                let url = layout.shards.appendingPathComponent(file.name)
                let found = checkFile(url, file, record, expected, plan, &report)
                report.problems += found.map { ShardProblem(file: url.path, message: $0) }
                report.filesChecked += 1
                progress.advance(by: file.count, detail: file.name)
                offset += file.count
            }
        }
        progress.finish()
        for planned in plan.buckets where !index.buckets.contains(where: { ($0.split, $0.height, $0.width) == (planned.split, planned.height, planned.width) }) {
            report.problems.append(.init(file: indexPath, message: "bucket \(planned.split.rawValue) \(planned.height)x\(planned.width) (\(planned.entries.count) images in the manifest) is missing from the index"))
        }
        let listed = Set(index.buckets.flatMap { $0.files.map(\.name) })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: layout.shards.path)) ?? []
        for name in present.sorted() where name.hasSuffix(".h5") && !listed.contains(name) {
            report.problems.append(.init(file: layout.shards.appendingPathComponent(name).path, message: "shard file is not listed in index.json"))
        }
        return report
    }

    static func checkHeader(_ index: ShardIndex, _ plan: ShardPlan, _ path: String) -> [ShardProblem] {
        var found: [String] = []
        if index.schemaVersion != ShardIndex.currentSchemaVersion {
            found.append("schema version \(index.schemaVersion), expected \(ShardIndex.currentSchemaVersion)")
        }
        if index.ingestFingerprint != plan.ingestFingerprint { found.append("built from other ingest settings (rerun keepers-shard)") }
        if index.compression != plan.settings.compression.rawValue {
            found.append("compression \(index.compression), the config says \(plan.settings.compression.rawValue)")
        }
        if (index.positiveClass, index.negativeClass) != (plan.positiveClass, plan.negativeClass) {
            found.append("classes \(index.positiveClass)/\(index.negativeClass), the config says \(plan.positiveClass)/\(plan.negativeClass)")
        }
        return found.map { ShardProblem(file: path, message: $0) }
    }

    /// Problems with one file, as messages; the file's own errors stop its check.
    static func checkFile(_ url: URL, _ file: ShardFileRecord, _ bucket: ShardBucket, _ expected: [ShardEntry]?,
                          _ plan: ShardPlan, _ report: inout ShardVerifyReport) -> [String] {
        guard let size = ShardBuilder.fileSize(url) else { return ["listed in index.json but missing"] }
        var found: [String] = []
        if size != file.bytes { found.append("is \(size) bytes, the index says \(file.bytes) (changed or cut short)") }
        do {
            let shard = try HDF5File.open(at: url)
            found += try checkAttributes(shard, bucket, plan)
            let (n, h, w) = (file.count, bucket.height, bucket.width)
            let images = try shard.dataset("images")
            found += describe("images", images, .uint8, [n, h, w, 3])
            if images.chunkShape != [1, h, w, 3] { found.append("images are chunked as \(images.chunkShape.map { "\($0)" } ?? "contiguous"), expected [1, \(h), \(w), 3]") }
            let filters: [HDF5Filter] = plan.settings.compression == .gzip ? [.shuffle, .gzip(level: plan.settings.gzipLevel)] : []
            if images.filters != filters { found.append("images have filters \(images.filters), expected \(filters)") }
            let labels = try shard.dataset("labels"), ids = try shard.dataset("ids"), repeats = try shard.dataset("repeats")
            found += describe("labels", labels, .uint8, [n]) + describe("ids", ids, .string, [n]) + describe("repeats", repeats, .float64, [n])
            guard found.isEmpty else { return found }
            let entries = zip(zip(try ids.readStrings(), try labels.read(UInt8.self)), try repeats.read(Double.self))
                .map { ShardEntry(id: $0.0, label: $0.1, repeat: $1, sha256: "") }
            let positives = entries.reduce(0) { $0 + Int($1.label) }
            let counts = [plan.positiveClass: positives, plan.negativeClass: n - positives]
            if counts != file.classCounts { found.append("class counts \(counts), the index says \(file.classCounts)") }
            if let expected, let bad = expected.indices.first(where: { i in
                (entries[i].id, entries[i].label, entries[i].repeat) != (expected[i].id, expected[i].label, expected[i].repeat)
            }) {
                found.append("image \(bad) is \(entries[bad].id) (label \(entries[bad].label), repeat \(entries[bad].repeat)); the manifest says \(expected[bad].id) (label \(expected[bad].label), repeat \(expected[bad].repeat))")
            }
            // Reading each image runs its chunk through the whole filter pipeline.
            var buffer = [UInt8](repeating: 0, count: h * w * 3)
            for i in 0..<n {
                try buffer.withUnsafeMutableBufferPointer { try images.read(start: [i, 0, 0, 0], count: [1, h, w, 3], into: $0) }
                report.imagesDecoded += 1
            }
        } catch let error as HDF5Error where error.path == url.path {
            found.append(error.messageWithoutPath)
        } catch {
            found.append("\(error)")
        }
        return found
    }

    static func checkAttributes(_ shard: HDF5File, _ bucket: ShardBucket, _ plan: ShardPlan) throws -> [String] {
        let expected: [(String, HDF5AttributeValue)] = [
            ("schema_version", .int(ShardIndex.currentSchemaVersion)), ("split", .string(bucket.split.rawValue)),
            ("height", .int(bucket.height)), ("width", .int(bucket.width)), ("bucket_fingerprint", .string(bucket.fingerprint)),
            ("ingest_fingerprint", .string(plan.ingestFingerprint)),
        ]
        return try expected.compactMap { name, value in
            let actual = try shard.hasAttribute(name) ? try shard.attribute(name) : nil
            return actual == value ? nil : "attribute \(name) is \(actual.map { "\($0)" } ?? "missing"), expected \(value)"
        }
    }

    static func describe(_ name: String, _ dataset: HDF5Dataset, _ type: HDF5ElementType, _ shape: [Int]) -> [String] {
        guard dataset.elementType != type || dataset.shape != shape else { return [] }
        return ["\(name) is \(dataset.elementType) \(dataset.shape), expected \(type) \(shape)"]
    }
}
