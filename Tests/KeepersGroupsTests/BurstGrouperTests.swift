import KeepersCore
import Testing
@testable import KeepersGroups

@Suite struct BurstGrouperTests {
    static let scenes = (0..<4).map { signature(scene(seed: 100 + $0)) }
    static let shifted = (0..<4).map { signature(scene(seed: 100 + $0, dx: 10)) }

    func photo(_ id: String, _ scene: Int, at seconds: Double?, folder: String = "", shifted: Bool = false) -> GroupingPhoto {
        let time = seconds.map { s -> CaptureTime in
            let whole = Int(s), millis = Int(((s - Double(whole)) * 1000).rounded())
            return CaptureTime(exifDateTime: String(format: "2024:05:01 12:%02d:%02d", whole / 60, whole % 60),
                               subSeconds: String(format: "%03d", millis))!
        }
        return GroupingPhoto(id: id, folder: folder, captured: time,
                             signature: shifted ? Self.shifted[scene] : Self.scenes[scene])
    }

    @Test func burstWithinTheGapIsOneGroupNamedAfterItsSmallestId() {
        let photos = [photo("0c", 0, at: 10.0), photo("0a", 0, at: 10.3, shifted: true), photo("0b", 0, at: 10.6),
                      photo("1a", 1, at: 30.0)]
        #expect(BurstGrouper.groups(photos, settings: GroupSettings()) == ["0a", "0a", "0a", "1a"])
    }

    @Test func chainsThroughFramesButNotAcrossTheGap() {
        // Frames 1.5 s apart chain into one burst over 4.5 s; a frame 2.5 s later starts a new one.
        let photos = [photo("a1", 0, at: 0), photo("a2", 0, at: 1.5), photo("a3", 0, at: 3.0), photo("a4", 0, at: 4.5),
                      photo("b1", 0, at: 7.0)]
        #expect(BurstGrouper.groups(photos, settings: GroupSettings()) == ["a1", "a1", "a1", "a1", "b1"])
    }

    @Test func unrelatedPhotosWithinTheGapStayApart() {
        let photos = [photo("a", 0, at: 0), photo("b", 1, at: 0.3), photo("c", 2, at: 0.6), photo("d", 3, at: 0.6)]
        #expect(BurstGrouper.groups(photos, settings: GroupSettings()) == ["a", "b", "c", "d"])
    }

    @Test func untimedPhotosJoinLookalikesOfTheirFolderOnly() {
        let photos = [photo("t1", 0, at: 5, folder: "trip"), photo("u1", 0, at: nil, folder: "trip", shifted: true),
                      photo("u2", 0, at: nil, folder: "other"), photo("u3", 1, at: nil, folder: "trip"),
                      photo("u4", 1, at: nil, folder: "trip", shifted: true)]
        #expect(BurstGrouper.groups(photos, settings: GroupSettings()) == ["t1", "t1", "u2", "u3", "u3"])
    }

    @Test func untimedChainsStopAtTheGroupLimitButTimedBurstsDoNot() {
        let count = BurstGrouper.maxUntimedGroup + 8
        let untimed = (0..<count).map { photo(String(format: "u%02d", $0), 0, at: nil, folder: "f") }
        let groups = BurstGrouper.groups(untimed.reversed(), settings: GroupSettings(), threads: 2)
        let sizes = Dictionary(grouping: groups, by: { $0 }).values.map(\.count).sorted(by: >)
        #expect(sizes == [BurstGrouper.maxUntimedGroup, 8])
        #expect(Array(groups.reversed()) == BurstGrouper.groups(untimed, settings: GroupSettings(), threads: 1))

        let timed = (0..<count).map { photo(String(format: "t%02d", $0), 0, at: Double($0) * 0.2) }
        #expect(Set(BurstGrouper.groups(timed, settings: GroupSettings())) == ["t00"])
    }

    @Test func disabledMakesEveryPhotoItsOwnGroup() {
        var settings = GroupSettings()
        settings.enabled = false
        let photos = [photo("a", 0, at: 0), photo("b", 0, at: 0.3)]
        #expect(BurstGrouper.groups(photos, settings: settings) == ["a", "b"])
    }

    @Test func resultDoesNotDependOnOrderOrThreads() {
        var photos: [GroupingPhoto] = []
        for index in 0..<24 {
            let scene = index % 4
            photos.append(photo(String(format: "%02x", index * 7 % 24), scene, at: index % 3 == 0 ? nil : Double(scene * 10) + Double(index) * 0.1,
                                folder: "f", shifted: index % 2 == 0))
        }
        let forward = BurstGrouper.groups(photos, settings: GroupSettings(), threads: 1)
        let reversed = BurstGrouper.groups(photos.reversed(), settings: GroupSettings(), threads: 2)
        #expect(forward == Array(reversed.reversed()))
        #expect(Set(forward).count == 4)
    }

    @Test func ranksWithinGroupsBestFirstWithStableTies() {
        let ranks = GroupRanking.ranks(groups: ["a", "a", "b", "a", "b", "c"], scores: [0.2, 0.9, 0.5, 0.2, nil, 0.1])
        #expect(ranks == [2, 1, 1, 3, nil, 1])
    }
}
