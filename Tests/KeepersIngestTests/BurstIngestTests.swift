import Foundation
import KeepersCore
import KeepersTestSupport
import Testing
@testable import KeepersIngest

/// Burst grouping on real photographs (e2e/fixtures/make-bursts.py).
@Suite struct BurstIngestTests {
    static func settings() -> IngestSettings {
        var settings = PhotoFolder.settings(width: 480)
        settings.split.train = 0.5  // more photos outside train, so that straddling would show
        settings.split.val = 0.25
        settings.split.test = 0.25
        return settings
    }

    /// Checks the manifest against the fixture's truth: every burst is one
    /// group of exactly its frames, every single photo a group of its own,
    /// and no group spans two splits.
    static func checkGroups(_ manifest: [ManifestEntry], _ files: [BurstFixtures.File]) throws {
        let bySource = Dictionary(uniqueKeysWithValues: manifest.map { ($0.source, $0) })
        #expect(Set(bySource.keys) == Set(files.map(\.source)))
        let truth = Dictionary(grouping: files) { $0.burst == "single" ? $0.source : $0.burst }
        var seen: Set<String> = []
        for (name, members) in truth {
            let groups = Set(members.map { bySource[$0.source]!.group })
            #expect(groups.count == 1, "\(name) falls into \(groups.count) groups")
            let group = try #require(groups.first)
            #expect(!seen.contains(group), "\(name) was merged with another burst or photo")
            seen.insert(group)
        }
        for (group, members) in Dictionary(grouping: manifest, by: \.group) {
            #expect(Set(members.map(\.split)).count == 1, "group \(group) straddles splits")
            #expect(group == members.map(\.id).min(), "a group is named after its smallest id")
        }
    }

    @Test func burstsAreWholeUnrelatedPhotosApartAndAddingPhotosMovesNoGroup() throws {
        let folder = try PhotoFolder()
        let first = try BurstFixtures.write(into: folder.root, batch: 1)
        #expect(first.filter { $0.burst != "single" }.count == 25)
        let summary = try folder.ingest(Self.settings())
        #expect(summary.manifest.count == first.count)
        let before = try folder.manifest()
        try Self.checkGroups(before, first)
        // Frames without EXIF joined their bursts by look alone; some photos have no capture time.
        #expect(before.filter { $0.captured == nil }.count == 6)
        #expect(GroupCounts(before).groups == 11 && GroupCounts(before).largest == 5)
        // The 11 groups do not all share one split.
        #expect(Set(before.map(\.split)).count > 1)

        let second = try BurstFixtures.write(into: folder.root, batch: 2)
        try folder.ingest(Self.settings())
        let after = try folder.manifest()
        try Self.checkGroups(after, first + second)
        let afterBySource = Dictionary(uniqueKeysWithValues: after.map { ($0.source, $0) })
        for entry in before {
            #expect(afterBySource[entry.source]?.split == entry.split, "\(entry.source) moved to another split")
            #expect(afterBySource[entry.source]?.group == entry.group, "\(entry.source) changed group")
        }
    }

    @Test func withoutGroupingEachPhotoIsAlone() throws {
        let folder = try PhotoFolder()
        let files = try BurstFixtures.write(into: folder.root, batch: 2)
        var settings = Self.settings()
        settings.groups.enabled = false
        try folder.ingest(settings)
        let manifest = try folder.manifest()
        #expect(manifest.count == files.count)
        #expect(manifest.allSatisfy { $0.group == $0.id })
    }
}
