import Foundation
import KeepersCore
import KeepersImaging
import KeepersTestSupport
import Testing
@testable import KeepersIngest

/// One odd photo folder, ingested once, checked rule by rule.
@Suite struct IngestRulesTests {
    let folder: PhotoFolder
    let summary: IngestSummary
    let manifest: [ManifestEntry]
    let rejected: [String: String]

    init() throws {
        folder = try PhotoFolder()
        let f = folder
        try f.photo("good/plain.jpg", seed: 1)
        try f.photo("good/sub/deeper/UPPER.JPG", seed: 2)
        try f.photo("good/with space ü.jpg", seed: 3)
        try f.write(PhotoEncoder.encode(Fixtures.redOverBlue(width: 300, height: 200), as: .jpeg), "good/actually-jpeg.png")
        let upright = Fixtures.redOverBlue(width: 600, height: 400)
        try f.write(PhotoEncoder.encode(Fixtures.rotatedCounterClockwise(upright), as: .jpeg, orientation: 6), "good/rotated.jpg")
        let base = Fixtures.redOverBlue(width: 320, height: 240)
        try f.write(PhotoEncoder.encode(base, as: .jpeg, pixels: .cmyk), "good/cmyk.jpg")
        try f.write(PhotoEncoder.encode(base, as: .png, pixels: .rgb16), "good/sixteen.png")
        try f.write(PhotoEncoder.encode(base, as: .png, pixels: .grey), "bad/grey.png")
        try f.write(PhotoEncoder.encode(base, as: .png, pixels: .rgba(alpha: [UInt8](repeating: 0, count: 320 * 240))), "bad/clear.png")
        // Two names that differ only in Unicode normalisation: two files.
        try f.photo("good/caf\u{E9}.jpg", seed: 4)
        try f.photo("good/cafe\u{301}.jpg", seed: 5)
        try f.photo("bad/one.jpg", seed: 6)
        try f.photo("bad/two.jpg", seed: 7)
        try FileManager.default.copyItem(at: f.url("bad/one.jpg"), to: f.url("bad/one_copy.jpg"))
        try f.photo("good/conflict.jpg", seed: 8)
        try FileManager.default.copyItem(at: f.url("good/conflict.jpg"), to: f.url("bad/conflict.jpg"))
        let whole = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 800, height: 600), as: .jpeg)
        try f.write(whole.prefix(whole.count / 2), "bad/truncated.jpg")
        try f.write(Data(), "bad/empty.jpg")
        try f.write(Data("just some notes\n".utf8), "bad/notes.jpg")
        try f.write(Fixtures.pngBombHeader(width: 50000, height: 50000), "bad/bomb.png")
        try f.photo(".hidden.jpg", seed: 9)
        try f.photo("good/.hidden.jpg", seed: 10)
        try f.photo("outside.jpg", seed: 11)
        try f.link("good/linked.jpg", to: f.url("outside.jpg").path)
        try f.link("good/loop.jpg", to: f.url("good/loop.jpg").path)
        try f.link("good/dangling.jpg", to: f.url("good/missing.jpg").path)
        try f.link("good/sub/cycle", to: f.url("good").path)
        mkfifo(f.url("bad/pipe").path, 0o644)
        summary = try f.ingest()
        manifest = try f.manifest()
        rejected = Dictionary(uniqueKeysWithValues: try f.rejected().map { ($0.source, $0.reason) })
    }

    func entry(_ source: String) -> ManifestEntry? { manifest.first { $0.source == source } }

    @Test func acceptsEveryReadablePhotoWhateverItsNameOrExtension() {
        let expected: Set = ["good/plain.jpg", "good/sub/deeper/UPPER.JPG", "good/with space ü.jpg", "good/actually-jpeg.png",
                             "good/rotated.jpg", "good/cmyk.jpg", "good/sixteen.png", "bad/grey.png", "bad/clear.png",
                             "bad/one.jpg", "bad/two.jpg", "good/linked.jpg"]
        for source in expected { #expect(entry(source) != nil, "\(source) should be accepted") }
        let sources = manifest.map(\.source)
        #expect(sources.filter { $0.unicodeScalars.elementsEqual("good/caf\u{E9}.jpg".unicodeScalars) }.count == 1)
        #expect(sources.filter { $0.unicodeScalars.elementsEqual("good/cafe\u{301}.jpg".unicodeScalars) }.count == 1)
        #expect(manifest.count == expected.count + 2)
        #expect(manifest.allSatisfy { $0.width == 128 && $0.height % 16 == 0 })
        #expect(entry("good/plain.jpg")?.label == "good")
        #expect(entry("bad/one.jpg")?.label == "bad")
    }

    @Test func refusesBrokenFilesWithAReason() {
        let expectations = [
            "bad/truncated.jpg": "corrupt", "bad/empty.jpg": "empty file", "bad/notes.jpg": "not an image",
            "bad/bomb.png": "max_pixels", "bad/one_copy.jpg": "duplicate: byte-identical to bad/one.jpg",
            "good/conflict.jpg": "conflicting labels", "bad/conflict.jpg": "conflicting labels",
            "good/loop.jpg": "symlink loop", "good/dangling.jpg": "dangling symlink",
            "good/sub/cycle": "symlink loop",
        ]
        for (source, fragment) in expectations {
            #expect(rejected[source]?.contains(fragment) == true, "\(source): \(rejected[source] ?? "not refused")")
        }
        #expect(rejected.count == expectations.count)
    }

    @Test func skipsHiddenAndSpecialFilesButCountsThem() {
        #expect(summary.scan.hidden == 1)  // good/.hidden.jpg; top-level entries are outside the classes
        #expect(summary.scan.notFiles == 1)
        #expect(Set(summary.scan.outsideClasses) == [".hidden.jpg", "outside.jpg"])
        let text = summary.render(rejectedPath: "rejected.jsonl")
        #expect(text.contains("1 hidden") && text.contains("outside.jpg"))
        #expect(text.contains("refused"))
    }

    @Test func orientationSixComesOutUpright() throws {
        let rotated = try #require(entry("good/rotated.jpg"))
        #expect(rotated.width == 128 && rotated.height == 80)  // 128 * 400/600 = 85 -> 80
        let image = try StoredImage.read(folder.layout.storedImage(id: rotated.id))
        let top = Fixtures.mean(image, rows: 0..<20), bottom = Fixtures.mean(image, rows: 60..<80)
        #expect(top.r > 150 && top.b < 80 && bottom.b > 150 && bottom.r < 80)
    }

    @Test func transparentPixelsTakeTheBackground() throws {
        let clear = try #require(entry("bad/clear.png"))
        let image = try StoredImage.read(folder.layout.storedImage(id: clear.id))
        #expect(image.pixels.allSatisfy { $0 == 255 })
    }

    @Test func idsAreContentHashesAndFieldsAreComplete() throws {
        for entry in manifest {
            #expect(entry.sha256.count == 64 && entry.id == String(entry.sha256.prefix(16)))
            let bytes = try Data(contentsOf: folder.url(entry.source))
            #expect(ContentHash.sha256(bytes) == entry.sha256)
            #expect(FileManager.default.fileExists(atPath: folder.layout.storedImage(id: entry.id).path))
        }
        #expect(Set(manifest.map(\.id)).count == manifest.count)
    }

    @Test func onlyTrainPhotosAreOversampledAndClassesBalance() {
        let train = manifest.filter { $0.split == .train }
        var weight: [String: Double] = [:]
        for entry in train { weight[entry.label, default: 0] += entry.repeat }
        if let good = weight["good"], let bad = weight["bad"] { #expect(abs(good - bad) < 1e-9) }
        #expect(manifest.filter { $0.split != .train }.allSatisfy { $0.repeat == 1 })
    }
}
