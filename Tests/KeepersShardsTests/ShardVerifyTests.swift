import Foundation
import KeepersCore
import Testing
@testable import KeepersShards

@Suite struct ShardVerifyTests {
    @Test(arguments: [ShardCompression.none, .gzip])
    func catchesATruncatedFile(compression: ShardCompression) throws {
        let fixture = try Fixture.standard(compression: compression)
        _ = try fixture.build()
        let name = try fixture.shardFiles((.train, 16, 12))[0]
        let url = fixture.layout.shards.appendingPathComponent(name)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 100).write(to: url)
        let problems = try fixture.verify()
        #expect(!problems.isEmpty && problems.allSatisfy { $0.contains(name) })
        #expect(problems.contains { $0.contains("cut short") })
        #expect(problems.contains { $0.contains("truncated") })
    }

    @Test func catchesACorruptCompressedChunk() throws {
        let fixture = try Fixture(compression: .gzip)
        try fixture.add(id: "00000000000000aa", label: "good", split: .train, height: 160, width: 240, seed: 3)
        try fixture.writeManifest()
        _ = try fixture.build()
        let name = try fixture.shardFiles((.train, 160, 240))[0]
        let url = fixture.layout.shards.appendingPathComponent(name)
        var bytes = try Data(contentsOf: url)
        // The one 115 KB chunk (noise barely compresses) is most of the file,
        // so its middle is the file's middle. Same size: only decoding can tell.
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<middle + 64, with: Data(repeating: 0xFF, count: 64))
        try bytes.write(to: url)
        let problems = try fixture.verify()
        #expect(problems.count == 1 && problems[0].contains(name) && problems[0].contains("read failed"))
    }

    @Test func catchesAShardMissingFromTheIndex() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let name = try fixture.shardFiles((.val, 8, 12))[0]
        var index = try ShardIndex.read(from: fixture.layout.shardIndex)
        index.buckets.removeAll { $0.split == .val }
        try AtomicFile.write(index.encoded(), to: fixture.layout.shardIndex)
        let problems = try fixture.verify()
        #expect(problems.contains { $0.contains(name) && $0.contains("not listed in index.json") })
        #expect(problems.contains { $0.contains("index.json") && $0.contains("bucket val 8x12 (2 images in the manifest) is missing") })
    }

    @Test func catchesAListedFileThatIsGone() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let name = try fixture.shardFiles((.val, 8, 12))[0]
        try FileManager.default.removeItem(at: fixture.layout.shards.appendingPathComponent(name))
        #expect(try fixture.verify() == ["\(fixture.layout.shards.appendingPathComponent(name).path): listed in index.json but missing"])
    }

    @Test func catchesCountMismatches() throws {
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        // The manifest gained a photo since the shards were built.
        try fixture.add(id: "0000000000000002", label: "good", split: .val, height: 8, width: 12, seed: 8)
        try fixture.writeManifest()
        #expect(try fixture.verify().contains { $0.contains("bucket val 8x12: count mismatch: the index has 2 images, the manifest 3") })

        // The index claims more images than a file holds.
        fixture.manifest.removeLast()
        try fixture.writeManifest()
        #expect(try fixture.verify() == [])
        var index = try ShardIndex.read(from: fixture.layout.shardIndex)
        index.buckets[0].files[0].count += 1
        index.buckets[0].count += 1
        try AtomicFile.write(index.encoded(), to: fixture.layout.shardIndex)
        let name = index.buckets[0].files[0].name
        let problems = try fixture.verify()
        #expect(problems.contains { $0.contains(name) && $0.contains("images is uint8 [3, 8, 12, 3], expected uint8 [4, 8, 12, 3]") })
    }
}
