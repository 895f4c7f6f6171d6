import Foundation
import KeepersCore
import Testing
@testable import KeepersIngest

@Suite struct IncrementalIngestTests {
    func folderWithPhotos(_ count: Int) throws -> PhotoFolder {
        let folder = try PhotoFolder()
        for i in 0..<count { try folder.photo("\(i % 3 == 0 ? "good" : "bad")/p\(i).jpg", seed: i, width: 200, height: 150) }
        return folder
    }

    @Test func rerunWithUnchangedInputDecodesNothingAndWritesTheSameManifest() throws {
        let folder = try folderWithPhotos(12)
        let first = try folder.ingest()
        #expect(first.decoded == 12)
        let before = try Data(contentsOf: folder.layout.manifest)
        let second = try folder.ingest()
        #expect(second.decoded == 0)
        #expect(try Data(contentsOf: folder.layout.manifest) == before)
    }

    @Test func aRunKilledBeforeItsStateWasWrittenKeepsTheImagesItStored() throws {
        let folder = try folderWithPhotos(9)
        try folder.ingest()
        // As if killed before the end: no state file, no manifest.
        try FileManager.default.removeItem(at: folder.layout.ingestState)
        try FileManager.default.removeItem(at: folder.layout.manifest)
        let rerun = try folder.ingest()
        #expect(rerun.decoded == 0)
        #expect(try folder.manifest().count == 9)
    }

    @Test func addingPhotosNeverMovesExistingOnesToAnotherSplit() throws {
        let folder = try folderWithPhotos(30)
        try folder.ingest()
        let before = Dictionary(uniqueKeysWithValues: try folder.manifest().map { ($0.source, $0.split) })
        for i in 30..<60 { try folder.photo("good/new\(i).jpg", seed: i, width: 200, height: 150) }
        let summary = try folder.ingest()
        #expect(summary.decoded == 30)
        let after = Dictionary(uniqueKeysWithValues: try folder.manifest().map { ($0.source, $0.split) })
        for (source, split) in before { #expect(after[source] == split) }
        #expect(Set(after.values) == Set(Split.allCases))
    }

    @Test func changedOrRemovedPhotosAreRedoneAndTheirOldImageRemoved() throws {
        let folder = try folderWithPhotos(6)
        try folder.ingest()
        let old = try #require(try folder.manifest().first { $0.source == "bad/p1.jpg" })
        try folder.photo("bad/p1.jpg", seed: 999, width: 200, height: 150)
        try FileManager.default.removeItem(at: folder.url("bad/p2.jpg"))
        let summary = try folder.ingest()
        #expect(summary.decoded == 1)
        let manifest = try folder.manifest()
        #expect(manifest.count == 5)
        let new = try #require(manifest.first { $0.source == "bad/p1.jpg" })
        #expect(new.sha256 != old.sha256)
        #expect(!FileManager.default.fileExists(atPath: folder.layout.storedImage(id: old.id).path))
    }

    @Test func changingTheWidthRedoesEverything() throws {
        let folder = try folderWithPhotos(6)
        try folder.ingest()
        let summary = try folder.ingest(PhotoFolder.settings(width: 96))
        #expect(summary.decoded == 6)
        #expect(try folder.manifest().allSatisfy { $0.width == 96 })
    }

    @Test func imagesMadeByAnotherDecodePathAreRedoneAndTheRunSaysWhy() throws {
        let folder = try folderWithPhotos(4)
        #expect(try !folder.ingest().settingsChanged)
        // What an older Keepers (decode revision 1) left: its fingerprint,
        // which did not name the decode path.
        let marker = folder.layout.ingestImages.appendingPathComponent("settings")
        #expect(try String(contentsOf: marker, encoding: .utf8) == Ingestor(photos: folder.root, layout: folder.layout,
                                                                           settings: PhotoFolder.settings(),
                                                                           context: .quiet).imageFingerprint)
        try AtomicFile.write("fingerprint of decode revision 1", to: marker)
        let rerun = try folder.ingest()
        #expect(rerun.decoded == 4 && rerun.settingsChanged)
        #expect(rerun.render(rejectedPath: "rejected.jsonl").contains("decode path (decode 2, libvips 8."))
        #expect(try !folder.ingest().settingsChanged)
    }

    @Test func sameInputGivesBitwiseIdenticalOutputs() throws {
        let a = try folderWithPhotos(8), b = try PhotoFolder()
        for i in 0..<8 {
            let source = "\(i % 3 == 0 ? "good" : "bad")/p\(i).jpg"
            try b.write(Data(contentsOf: a.url(source)), source)
        }
        try a.ingest()
        var oneThread = PhotoFolder.settings()
        oneThread.threads = 1
        try b.ingest(oneThread)
        #expect(try Data(contentsOf: a.layout.manifest) == Data(contentsOf: b.layout.manifest))
        for entry in try a.manifest() {
            #expect(try Data(contentsOf: a.layout.storedImage(id: entry.id)) == Data(contentsOf: b.layout.storedImage(id: entry.id)))
        }
    }

    @Test func splitsFollowTheConfiguredFractions() {
        let planner = SplitPlanner(settings: PhotoFolder.settings())
        var counts: [Split: Int] = [:]
        for i in 0..<20_000 { counts[planner.split(group: ContentHash.sha256(Data("\(i)".utf8))), default: 0] += 1 }
        #expect(abs(Double(counts[.train]!) / 20_000 - 0.70) < 0.015)
        #expect(abs(Double(counts[.val]!) / 20_000 - 0.15) < 0.015)
    }

    /// k folds: each photo is tested in exactly one fold, the folds are equal
    /// in expectation, and the rest divides train : val as configured.
    @Test func foldsPartitionThePhotosIntoTestSplits() {
        var settings = PhotoFolder.settings()
        settings.folds = 5
        let hashes = (0..<10_000).map { ContentHash.sha256(Data("\($0)".utf8)) }
        var testedIn = [Int](repeating: 0, count: hashes.count)
        var trainShare = 0.0
        for fold in 0..<5 {
            settings.fold = fold
            let planner = SplitPlanner(settings: settings)
            let splits = hashes.map { planner.split(group: $0) }
            for (i, split) in splits.enumerated() where split == .test { testedIn[i] += 1 }
            #expect(abs(Double(splits.filter { $0 == .test }.count) / 10_000 - 0.2) < 0.02)
            trainShare += Double(splits.filter { $0 == .train }.count) / Double(splits.filter { $0 != .test }.count) / 5
        }
        #expect(testedIn.allSatisfy { $0 == 1 })
        #expect(abs(trainShare - 0.70 / 0.85) < 0.02)
    }

    @Test func oversamplingModes() {
        var settings = PhotoFolder.settings()
        #expect(SplitPlanner(settings: settings).repeats(trainCounts: ["good": 10, "bad": 25]) == ["good": 2.5, "bad": 1])
        settings.oversample = .none
        #expect(SplitPlanner(settings: settings).repeats(trainCounts: ["good": 10, "bad": 25]) == ["good": 1, "bad": 1])
        settings.oversample = .factor(3)
        #expect(SplitPlanner(settings: settings).repeats(trainCounts: ["good": 10, "bad": 25]) == ["good": 3, "bad": 1])
    }

    @Test func missingClassFolderIsAClearError() throws {
        let folder = try PhotoFolder()
        try FileManager.default.removeItem(at: folder.url("bad"))
        #expect {
            try folder.ingest()
        } throws: { error in
            "\(error)".contains("class folder 'bad' is missing")
        }
    }
}
