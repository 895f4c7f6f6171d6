import Foundation
import KeepersCore
import KeepersHDF5
import KeepersImaging
import Testing
@testable import KeepersShards

@Suite struct ShardRoundTripTests {
    @Test(arguments: [ShardCompression.none, .gzip])
    func readerReturnsExactlyTheIngestedPixels(compression: ShardCompression) throws {
        let fixture = try Fixture.standard(compression: compression, maxImages: 2)
        let summary = try fixture.build()
        #expect(summary.bucketsWritten == 3 && summary.filesWritten.count == 4 && summary.indexWritten)

        // One open file at a time forces the cache to evict on every file change.
        let reader = try ShardReader(layout: fixture.layout, openFileLimit: 1)
        #expect(reader.buckets.map { "\($0.split.rawValue) \($0.height)x\($0.width) \($0.count)" }
            == ["train 8x12 3", "train 16x12 2", "val 8x12 2"])
        #expect(reader.buckets[0].record.files.map(\.count) == [2, 1])
        #expect(reader.buckets[0].classCounts == ["good": 2, "bad": 1])
        #expect(reader.index.compression == compression.rawValue)
        var seen = 0
        for (b, bucket) in reader.buckets.enumerated() {
            #expect(bucket.ids == bucket.ids.sorted())
            for (i, id) in bucket.ids.enumerated() {
                let entry = try #require(fixture.manifest.first { $0.id == id })
                #expect(try reader.image(bucket: b, image: i) == fixture.images[id])
                #expect(bucket.labels[i] == (entry.label == "good" ? 1 : 0))
                #expect(bucket.repeats[i] == entry.repeat)
                seen += 1
            }
        }
        #expect(seen == fixture.manifest.count)
        #expect(try fixture.verify() == [])
    }

    @Test func normalisedBatchesAreCHWAndFlipMirrors() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let reader = try ShardReader(layout: fixture.layout)
        let b = try #require(reader.bucketIndex(split: .train, height: 16, width: 12))
        let (h, w) = (16, 12)
        let images = [1, 0]
        var batch = [Float](repeating: .nan, count: 2 * 3 * h * w)
        try batch.withUnsafeMutableBufferPointer { try reader.readBatch(bucket: b, images: images, flips: [false, true], into: $0) }
        for (slot, image) in images.enumerated() {
            let pixels = fixture.images[reader.buckets[b].ids[image]]!.pixels
            for c in 0..<3 { for y in 0..<h { for x in 0..<w {
                let source = slot == 1 ? w - 1 - x : x
                let expected = Float(pixels[(y * w + source) * 3 + c]) / 255 - 0.5
                #expect(batch[((slot * 3 + c) * h + y) * w + x] == expected)
            } } }
        }
    }

    @Test func oneReaderServesSeveralThreads() async throws {
        let fixture = try Fixture.standard(compression: .gzip, maxImages: 1)
        _ = try fixture.build()
        // Seven files, two open at a time: threads keep evicting each other's files.
        let reader = try ShardReader(layout: fixture.layout, openFileLimit: 2)
        let expected = fixture.images
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<40 {
                        let b = (thread + round) % reader.buckets.count
                        let i = round % reader.buckets[b].count
                        if try reader.image(bucket: b, image: i) != expected[reader.buckets[b].ids[i]] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func filesHaveTheDocumentedLayout() throws {
        let fixture = try Fixture.standard(compression: .gzip)
        _ = try fixture.build()
        let name = try fixture.shardFiles((.val, 8, 12))[0]
        let file = try HDF5File.open(at: fixture.layout.shards.appendingPathComponent(name))
        let images = try file.dataset("images")
        #expect(images.shape == [2, 8, 12, 3] && images.elementType == .uint8 && images.chunkShape == [1, 8, 12, 3])
        #expect(images.filters == [.shuffle, .gzip(level: 1)])
        #expect(try file.dataset("labels").read(UInt8.self) == [0, 1])
        #expect(try file.dataset("repeats").elementType == .float64)
        #expect(try file.stringAttribute("split") == "val")
        #expect(try file.intAttribute("height") == 8 && file.intAttribute("width") == 12)
        #expect(try file.intAttribute("schema_version") == ShardIndex.currentSchemaVersion)
        #expect(try file.stringAttribute("ingest_fingerprint") == ShardPlan.ingestFingerprint(fixture.config.ingest))
    }

    @Test func outputIsBitwiseReproducible() throws {
        let first = try Fixture.standard(compression: .gzip)
        let second = try Fixture.standard(compression: .gzip)
        _ = try first.build()
        _ = try second.build()
        let names = try FileManager.default.contentsOfDirectory(atPath: first.layout.shards.path).sorted()
        #expect(names.count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.layout.shards.path).sorted() == names)
        for name in names {
            #expect(try Data(contentsOf: first.layout.shards.appendingPathComponent(name))
                == Data(contentsOf: second.layout.shards.appendingPathComponent(name)), "\(name) differs")
        }
    }

    @Test func fileSplittingRespectsBothLimitsEvenly() {
        var settings = ShardSettings()
        settings.maxImages = 4
        #expect(ShardPlan.fileRanges(count: 9, imageBytes: 100, settings: settings) == [0..<3, 3..<6, 6..<9])
        settings.maxBytes = 250
        #expect(ShardPlan.fileRanges(count: 5, imageBytes: 100, settings: settings) == [0..<2, 2..<4, 4..<5])
        settings.maxBytes = 50  // one image bigger than the limit still gets a file
        #expect(ShardPlan.fileRanges(count: 2, imageBytes: 100, settings: settings) == [0..<1, 1..<2])
    }
}
