import Foundation
import KeepersCore
import Testing
@testable import KeepersShards

@Suite struct ShardIncrementalTests {
    @Test func rerunWithUnchangedInputTouchesNothing() throws {
        let fixture = try Fixture.standard(maxImages: 2)
        _ = try fixture.build()
        let before = try fixture.shardTimes()
        let summary = try fixture.build()
        #expect(summary.bucketsWritten == 0 && summary.bucketsKept == 3)
        #expect(summary.filesWritten.isEmpty && summary.filesRemoved.isEmpty && !summary.indexWritten)
        #expect(try fixture.shardTimes() == before)
    }

    @Test func changingOnePhotoRewritesOnlyItsBucket() throws {
        let fixture = try Fixture.standard(maxImages: 2)
        _ = try fixture.build()
        let before = try fixture.shardTimes()
        let oldVal = try fixture.shardFiles((.val, 8, 12))
        let changed = fixture.manifest.first { $0.split == .val }!
        try fixture.add(id: changed.id, label: changed.label, split: .val, height: 8, width: 12, seed: 99)
        try fixture.writeManifest()

        let summary = try fixture.build()
        #expect(summary.bucketsWritten == 1 && summary.bucketsKept == 2 && summary.indexWritten)
        #expect(summary.filesRemoved == oldVal)
        let after = try fixture.shardTimes()
        let newVal = try fixture.shardFiles((.val, 8, 12))
        #expect(summary.filesWritten == newVal && Set(newVal).isDisjoint(with: oldVal))
        for name in before.keys where !oldVal.contains(name) && name != "index.json" {
            #expect(after[name] == before[name], "\(name) was rewritten")
        }
        #expect(Set(after.keys) == Set(before.keys).subtracting(oldVal).union(newVal))
        let reader = try ShardReader(layout: fixture.layout)
        let b = try #require(reader.bucketIndex(split: .val, height: 8, width: 12))
        let i = try #require(reader.buckets[b].ids.firstIndex(of: changed.id))
        #expect(try reader.image(bucket: b, image: i) == fixture.images[changed.id])
        #expect(try fixture.verify() == [])
    }

    @Test func changingARepeatOrTheCompressionRebuilds() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        fixture.manifest[0].repeat = 2.25
        try fixture.writeManifest()
        #expect(try fixture.build().bucketsWritten == 1)
        fixture.config.shard.compression = .gzip
        #expect(try fixture.build().bucketsWritten == 3)
        #expect(try fixture.verify() == [])
    }

    @Test func aFailedBuildLeavesThePreviousStateIntact() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let index = try Data(contentsOf: fixture.layout.shardIndex)
        let before = try fixture.shardTimes()
        // A new photo whose stored PNG is missing: its bucket cannot be written.
        try fixture.add(id: "ffff000000000000", label: "bad", split: .test, height: 8, width: 12, seed: 5)
        try fixture.add(id: "0000000000000001", label: "bad", split: .val, height: 8, width: 12, seed: 6)
        try FileManager.default.removeItem(at: fixture.layout.storedImage(id: "ffff000000000000"))
        try fixture.writeManifest()
        #expect { _ = try fixture.build() } throws: { "\($0)".contains("ffff000000000000.png") }
        // The old index and every file it lists are untouched; the val bucket
        // rebuilt before the failure is not referenced and goes next time.
        #expect(try Data(contentsOf: fixture.layout.shardIndex) == index)
        let after = try fixture.shardTimes()
        for (name, time) in before { #expect(after[name] == time, "\(name) changed") }
        #expect(!after.keys.contains { $0.contains(".tmp-") })
        _ = try ShardReader(layout: fixture.layout)
    }
}
