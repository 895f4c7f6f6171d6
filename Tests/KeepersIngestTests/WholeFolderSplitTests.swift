import Foundation
import KeepersCore
import Testing
@testable import KeepersIngest

/// `groups.whole_folders`: every sub-folder below a class folder takes one split.
@Suite struct WholeFolderSplitTests {
    @Test func foldersJoinTheirGroupsTransitivelyAndTheTopFolderStaysApart() {
        // Groups a..f: a and b share trip1; b's burst (group b) also has a
        // frame in trip2 with c; d and e are loose photos of the top folder.
        let groups = ["b", "a", "b", "c", "d", "e", "f"]
        let folders = ["trip1", "trip1", "trip2", "trip2", "", "", "trip3"]
        let units = SplitPlanner.wholeFolderUnits(groups: groups, folders: folders)
        #expect(units == ["a", "a", "a", "a", "d", "e", "f"])
        // The same sets in another order give the same units.
        let order = [6, 3, 5, 0, 2, 4, 1]
        let shuffled = SplitPlanner.wholeFolderUnits(groups: order.map { groups[$0] }, folders: order.map { folders[$0] })
        #expect(shuffled == order.map { units[$0] })
    }

    @Test func everyTripSitsInOneSplitAndTheManifestKeepsItsBursts() throws {
        let folder = try PhotoFolder()
        var settings = PhotoFolder.settings()
        settings.groups.wholeFolders = true
        settings.split.train = 0.4
        settings.split.val = 0.3
        settings.split.test = 0.3
        var seed = 0
        for trip in 0..<8 {
            for label in ["good", "bad"] {
                for _ in 0..<2 {
                    seed += 1
                    try folder.photo("\(label)/trip\(trip)/p\(seed).jpg", seed: seed)
                }
            }
        }
        for loose in 0..<6 { try folder.photo("good/loose\(loose).jpg", seed: 100 + loose) }
        try folder.ingest(settings)
        let manifest = try folder.manifest()
        #expect(manifest.count == 8 * 4 + 6)
        let byTrip = Dictionary(grouping: manifest.filter { $0.source.contains("/trip") }) {
            $0.source.split(separator: "/")[1]
        }
        #expect(byTrip.count == 8)
        for (trip, entries) in byTrip { #expect(Set(entries.map(\.split)).count == 1, "\(trip) straddles splits") }
        // With 8 trips and three splits, the trips do not all land in one.
        #expect(Set(byTrip.values.map { $0[0].split }).count > 1)
        // Groups stay bursts: unrelated frames of one trip are not one group.
        #expect(Set(manifest.map(\.group)).count > 8 + 6)
    }
}
