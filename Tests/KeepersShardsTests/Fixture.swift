import Foundation
import KeepersConfig
import KeepersCore
import KeepersImaging
@testable import KeepersShards

/// A tiny ingest output in a temporary folder: stored PNGs plus manifest.
final class Fixture {
    let dir: TemporaryDirectory
    let layout: WorkLayout
    var config = PipelineConfig(name: "t", photos: "photos")
    var manifest: [ManifestEntry] = []
    var images: [String: RGBImage] = [:]

    init(compression: ShardCompression = .none, maxImages: Int = 2048) throws {
        dir = try TemporaryDirectory(prefix: "keepers-shards")
        layout = WorkLayout(root: dir.url.appendingPathComponent("work/t"))
        config.shard.compression = compression
        config.shard.maxImages = maxImages
    }

    /// Seven photos in three buckets; train 8x12 has three images, so
    /// `maxImages: 2` splits it over two files.
    static func standard(compression: ShardCompression = .none, maxImages: Int = 2048) throws -> Fixture {
        let fixture = try Fixture(compression: compression, maxImages: maxImages)
        for (n, spec) in [("good", Split.train, 8, 12), ("bad", .train, 8, 12), ("good", .train, 8, 12),
                          ("bad", .train, 16, 12), ("good", .train, 16, 12), ("good", .val, 8, 12),
                          ("bad", .val, 8, 12)].enumerated() {
            try fixture.add(id: String(format: "%016x", 0xA000 - n * 0x111), label: spec.0, split: spec.1,
                            height: spec.2, width: spec.3, seed: n, repeat: spec.0 == "good" && spec.1 == .train ? 1.5 : 1)
        }
        try fixture.writeManifest()
        return fixture
    }

    /// Adds (or replaces) a photo with pseudo-random pixels derived from `seed`.
    func add(id: String, label: String, split: Split, height: Int, width: Int, seed: Int, repeat: Double = 1) throws {
        var rng = SequentialRandom(seed: UInt64(seed))
        let pixels = (0..<height * width * 3).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let image = RGBImage(width: width, height: height, pixels: pixels)
        try StoredImage.write(image, to: layout.storedImage(id: id))
        images[id] = image
        manifest.removeAll { $0.id == id }
        manifest.append(ManifestEntry(id: id, source: "\(label)/\(id).jpg", label: label, split: split, width: width,
                                      height: height, sha256: ContentHash.sha256(Data(pixels)), repeat: `repeat`))
    }

    func writeManifest() throws {
        try JSONLines.write(manifest, to: layout.manifest)
    }

    func build() throws -> ShardBuildSummary {
        try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)
    }

    func verify() throws -> [String] {
        try ShardVerifier.verify(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)
            .problems.map(\.description)
    }

    /// Modification time (ns) of every file in shards/, by name.
    func shardTimes() throws -> [String: Int] {
        var times: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: layout.shards.path) {
            var info = stat()
            stat(layout.shards.appendingPathComponent(name).path, &info)
            times[name] = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
        }
        return times
    }

    func shardFiles(_ bucket: (Split, Int, Int)) throws -> [String] {
        try ShardIndex.read(from: layout.shardIndex).buckets
            .first { ($0.split, $0.height, $0.width) == bucket }!.files.map(\.name)
    }
}
