import Foundation
import KeepersCore
import KeepersImaging

/// What one image contributes to a shard.
public struct ShardEntry: Equatable, Sendable {
    public var id: String
    /// 1 for the positive class (`ingest.positive`), 0 for the other.
    public var label: UInt8
    public var `repeat`: Double
    /// SHA-256 of the source photo: a changed photo changes its bucket's fingerprint.
    public var sha256: String
}

/// The shard files a manifest should produce, computed without touching
/// any image. The builder writes it, the verifier checks files against it.
public struct ShardPlan: Sendable {
    public struct Bucket: Sendable {
        public var split: Split
        public var height: Int
        public var width: Int
        /// Sorted by id (UTF-8 bytes), so the files are bitwise reproducible.
        public var entries: [ShardEntry]
        public var fingerprint: String
        /// Entry ranges of each file, in order, with the file's name.
        public var files: [(name: String, range: Range<Int>)]
    }

    public var ingestFingerprint: String
    public var settings: ShardSettings
    public var positiveClass: String
    public var negativeClass: String
    public var buckets: [Bucket]
    /// With `model.backbone`: what made ingest's features (`features/source`'s
    /// backbone key), copied into the shards beside the images; nil = none.
    public var backbone: String?

    public init(manifest: [ManifestEntry], ingest: IngestSettings, shard: ShardSettings, manifestPath: String,
                layout: WorkLayout) throws {
        ingestFingerprint = Self.ingestFingerprint(ingest)
        backbone = try Self.backboneKey(ingest: ingest, layout: layout)
        settings = shard
        positiveClass = ingest.positive
        negativeClass = ingest.negative
        var groups: [BucketKey: [ShardEntry]] = [:]
        var seen = Set<[UInt8]>()
        for (line, item) in manifest.enumerated() {
            let problem = { (text: String) in KeepersError.format(path: manifestPath, reason: "line \(line + 1): \(text)") }
            guard seen.insert(Array(item.id.utf8)).inserted else { throw problem("duplicate id \(item.id)") }
            guard ingest.classes.contains(item.label) else {
                throw problem("label '\(item.label)' is not one of \(ingest.classes)")
            }
            guard item.width > 0, item.height > 0 else { throw problem("invalid size \(item.width)x\(item.height)") }
            guard item.repeat.isFinite, item.repeat >= 0 else { throw problem("invalid repeat \(item.repeat)") }
            let entry = ShardEntry(id: item.id, label: item.label == ingest.positive ? 1 : 0, repeat: item.repeat,
                                   sha256: item.sha256)
            groups[BucketKey(split: item.split, height: item.height, width: item.width), default: []].append(entry)
        }
        let settings = shard
        let identity = Identity(schemaVersion: ShardIndex.currentSchemaVersion, ingest: ingestFingerprint,
                                settings: settings, positive: ingest.positive, backbone: backbone)
        buckets = groups.keys.sorted().map { key in
            let entries = groups[key]!.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            let fingerprint = ContentHash.fingerprint(of: BucketContent(identity: identity, entries: entries))
            let prefix = "\(key.split.rawValue)-\(key.height)x\(key.width)-\(fingerprint.prefix(12))"
            let ranges = Self.fileRanges(count: entries.count, imageBytes: key.height * key.width * 3, settings: settings)
            let files = ranges.enumerated().map { part, range in ("\(prefix)-\(part + 1)of\(ranges.count).h5", range) }
            return Bucket(split: key.split, height: key.height, width: key.width, entries: entries,
                          fingerprint: fingerprint, files: files)
        }
    }

    /// The ingest settings and the decode path that made the pixels: a new
    /// decode path re-ingests, so the shards must not keep the old pixels.
    public static func ingestFingerprint(_ ingest: IngestSettings) -> String {
        struct Key: Encodable { var ingest: IngestSettings; var decoder: String }
        return ContentHash.fingerprint(of: Key(ingest: ingest, decoder: DecodeRecipe.identity))
    }

    /// Splits `count` images into as few files as `maxImages` and `maxBytes`
    /// allow (at least one image per file), sized evenly.
    static func fileRanges(count: Int, imageBytes: Int, settings: ShardSettings) -> [Range<Int>] {
        let perFile = max(1, min(settings.maxImages, settings.maxBytes / imageBytes))
        let fileCount = (count + perFile - 1) / perFile
        var ranges: [Range<Int>] = []
        var start = 0
        for part in 0..<fileCount {
            let size = count / fileCount + (part < count % fileCount ? 1 : 0)
            ranges.append(start..<start + size)
            start += size
        }
        return ranges
    }

    /// Everything besides the entries that shapes a file's bytes.
    struct Identity: Encodable {
        var schemaVersion: Int, ingest: String, settings: ShardSettings, positive: String
        var backbone: String?
    }

    /// The backbone key ingest recorded for its features, when the config asks for a backbone.
    static func backboneKey(ingest: IngestSettings, layout: WorkLayout) throws -> String? {
        guard ingest.backbone != nil else { return nil }
        let marker = layout.ingestFeatures.appendingPathComponent("source")
        guard let text = try? String(contentsOf: marker, encoding: .utf8), let key = text.split(separator: " ").first else {
            throw KeepersError.io(path: marker.path, reason: "no backbone features: run keepers-ingest with this config first")
        }
        return String(key)
    }

    struct BucketContent: Encodable {
        var identity: Identity
        var entries: [ShardEntry]
    }
}

extension ShardEntry: Encodable {}

/// A bucket's identity, printed as "train 320x480".
struct BucketKey: Hashable, Comparable, CustomStringConvertible {
    var split: Split, height: Int, width: Int

    static func < (a: BucketKey, b: BucketKey) -> Bool {
        (a.split, a.height, a.width) < (b.split, b.height, b.width)
    }

    var description: String { "\(split.rawValue) \(height)x\(width)" }
}

extension ShardBucket {
    var key: BucketKey { BucketKey(split: split, height: height, width: width) }
}

extension ShardPlan.Bucket {
    var key: BucketKey { BucketKey(split: split, height: height, width: width) }

    func classCounts(_ range: Range<Int>, positive: String, negative: String) -> [String: Int] {
        let positives = entries[range].reduce(0) { $0 + Int($1.label) }
        return [positive: positives, negative: range.count - positives]
    }
}
