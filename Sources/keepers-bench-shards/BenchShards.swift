import ArgumentParser
import Foundation
import KeepersConfig
import KeepersCore
import KeepersHDF5
import KeepersImaging
import KeepersShards

/// Measures shard writing and random batch reading, for each compression.
/// Build with `swift build -c release`; see docs/shards.md for figures.
@main
struct BenchShards: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keepers-bench-shards",
                                                    abstract: "Benchmark shard writes and random batch reads.")

    @Option(help: "Images to write.") var images = 64
    @Option(help: "Image height.") var height = 320
    @Option(help: "Image width.") var width = 480
    @Option(help: "Random batches of four to time.") var batches = 1000
    @Option(help: "Deflate level for gzip.") var gzipLevel = 1
    @Option(help: "Folder of photos to centre-crop instead of synthetic images.") var photos: String?

    func run() throws {
        let dir = try TemporaryDirectory(prefix: "keepers-bench")
        let layout = WorkLayout(root: dir.url.appendingPathComponent("work/bench"))
        let pictures = try photos.map {
            try BenchImages.photos(in: URL(fileURLWithPath: $0), count: images, height: height, width: width)
        } ?? BenchImages.synthetic(count: images, height: height, width: width)
        var manifest: [ManifestEntry] = []
        for (i, picture) in pictures.enumerated() {
            let id = String(format: "%016x", i)
            try StoredImage.write(picture, to: layout.storedImage(id: id))
            manifest.append(ManifestEntry(id: id, source: "\(id).jpg", label: i % 3 == 0 ? "good" : "bad", split: .train,
                                          width: width, height: height, sha256: ContentHash.sha256(Data(picture.pixels)),
                                          repeat: 1))
        }
        try JSONLines.write(manifest, to: layout.manifest)
        let megabytes = Double(pictures.count * height * width * 3) / 1e6
        print("\(pictures.count) images of \(height)x\(width) (\(photos.map { "crops of \($0)" } ?? "synthetic")), "
              + String(format: "%.1f MB of pixels; %d random batches of 4, page cache warm", megabytes, batches))
        print("compression  build MB/s  hdf5-write MB/s  size  batch uint8 ms (median/p95)  batch float NCHW ms (median/p95)")
        for compression in ShardCompression.allCases {
            var config = PipelineConfig(name: "bench", photos: "")
            config.shard.compression = compression
            config.shard.gzipLevel = gzipLevel
            try? FileManager.default.removeItem(at: layout.shards)
            let build = try time {
                _ = try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)
            }
            let write = try time { try writeOnly(pictures, compression: compression, to: dir.url.appendingPathComponent("raw.h5")) }
            let reader = try ShardReader(layout: layout)
            let bytes = reader.index.buckets.flatMap(\.files).reduce(0) { $0 + $1.bytes }
            let (uint8, float) = try timeBatches(reader)
            print(String(format: "%-11@  %10.0f  %15.0f  %3.0f%%  %12.2f / %.2f  %22.2f / %.2f", compression.rawValue as NSString,
                         megabytes / build, megabytes / write, 100 * Double(bytes) / (megabytes * 1e6),
                         uint8.median, uint8.p95, float.median, float.p95))
        }
    }

    /// HDF5 alone: the same dataset layout written from memory.
    func writeOnly(_ pictures: [RGBImage], compression: ShardCompression, to url: URL) throws {
        let file = try HDF5File.create(at: url)
        let storage = HDF5Storage(chunk: [1, height, width, 3],
                                  compression: compression == .gzip ? .gzip(level: gzipLevel, shuffle: true) : .none)
        let data = try file.createDataset("images", type: .uint8, shape: [pictures.count, height, width, 3], storage: storage)
        for (i, picture) in pictures.enumerated() {
            try picture.pixels.withUnsafeBufferPointer { try data.write($0, start: [i, 0, 0, 0], count: [1, height, width, 3]) }
        }
        try file.close()
    }

    /// Milliseconds per batch of four random images with random flips:
    /// uint8 HWC only, and normalised float NCHW (what training uses).
    func timeBatches(_ reader: ShardReader) throws -> (uint8: Stats, float: Stats) {
        let bucket = reader.buckets[0]
        var rng = SequentialRandom(seed: 7)
        var pixels = [UInt8](repeating: 0, count: bucket.imageElements)
        var batch = [Float](repeating: 0, count: 4 * bucket.imageElements)
        var uint8: [Double] = [], float: [Double] = []
        for round in 0..<batches + 20 {  // the first 20 warm up file handles
            let picks = (0..<4).map { _ in Int(rng.next() % UInt64(bucket.count)) }
            let flips = (0..<4).map { _ in rng.next() & 1 == 1 }
            let a = try time {
                for i in picks { try pixels.withUnsafeMutableBufferPointer { try reader.readImage(bucket: 0, image: i, into: $0) } }
            }
            let b = try time {
                try batch.withUnsafeMutableBufferPointer { try reader.readBatch(bucket: 0, images: picks, flips: flips, into: $0) }
            }
            if round >= 20 {
                uint8.append(a * 1000)
                float.append(b * 1000)
            }
        }
        return (Stats(uint8), Stats(float))
    }

    func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

struct Stats {
    let median: Double, p95: Double
    init(_ values: [Double]) {
        let sorted = values.sorted()
        median = sorted[sorted.count / 2]
        p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
    }
}
