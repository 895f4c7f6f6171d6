import Foundation
import KeepersCore

/// `shards/index.json`: every shard file, grouped by bucket. Written last, so
/// whatever it lists is complete. Keys are snake_case for Python readers.
public struct ShardIndex: Codable, Equatable, Sendable {
    /// Layout version of the index and of the files (`schema_version` attribute).
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// `ShardPlan.ingestFingerprint`: the ingest settings and decode path that made the pixels.
    public var ingestFingerprint: String
    public var compression: String
    /// Class names; label 1 in the files is `positiveClass`.
    public var positiveClass: String
    public var negativeClass: String
    /// Sorted by split (train, val, test), then height, then width.
    public var buckets: [ShardBucket]
    /// The backbone whose features every file carries (`features`), as
    /// "<name>-<weights sha256, 12 hex>"; absent without one.
    public var backbone: String?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", ingestFingerprint = "ingest_fingerprint", compression
        case positiveClass = "positive_class", negativeClass = "negative_class", buckets, backbone
    }

    public static func read(from url: URL) throws -> ShardIndex {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw KeepersError.io(path: url.path, reason: "cannot read the shard index (run keepers-shard first)")
        }
        do { return try JSONDecoder().decode(ShardIndex.self, from: data) } catch {
            throw KeepersError.format(path: url.path, reason: "not a valid shard index: \(error)")
        }
    }

    /// Pretty, key-sorted JSON: identical indexes are identical bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Plain strings and numbers always encode.
        return try! encoder.encode(self) + Data("\n".utf8)
    }
}

/// All images of one split and size, stored in one or more files.
public struct ShardBucket: Codable, Equatable, Sendable {
    public var split: Split
    public var height: Int
    public var width: Int
    public var count: Int
    /// Images per class name.
    public var classCounts: [String: Int]
    /// Sum of the images' repeats: the bucket's weight when sampling training batches.
    public var repeatSum: Double
    /// Hash of everything the bucket's files are made from (see ShardPlan);
    /// unchanged fingerprint, unchanged files.
    public var fingerprint: String
    public var files: [ShardFileRecord]

    enum CodingKeys: String, CodingKey {
        case split, height, width, count, classCounts = "class_counts", repeatSum = "repeat_sum", fingerprint, files
    }
}

/// One HDF5 file of a bucket: its images are the bucket's next `count`.
public struct ShardFileRecord: Codable, Equatable, Sendable {
    /// File name inside `shards/`.
    public var name: String
    public var count: Int
    public var classCounts: [String: Int]
    /// Size on disk, to notice a file replaced or cut short since it was written.
    public var bytes: Int

    enum CodingKeys: String, CodingKey {
        case name, count, classCounts = "class_counts", bytes
    }
}
