import KeepersCore
import Testing
@testable import KeepersGroups

/// The index that finds untimed links in large folders (`UntimedIndex`),
/// on a synthetic folder searched with small index sizes, so that a debug
/// build runs it in well under a second.
@Suite struct UntimedIndexTests {
    /// 90 untimed photos in one folder, every third scene a burst of 2-6
    /// frames; ids are hashes, so id order (the name probe) says nothing
    /// about bursts. Small, as a debug build compares about 3,000 pairs a second.
    static let library = SyntheticLibrary.photos(count: 90, burstEvery: 3, shuffleIds: true, folder: "f")
    /// A limit below the library's size, so `.automatic` uses the index, and
    /// leaves far smaller than the folder.
    static let small = UntimedIndex.Parameters(exhaustiveLimit: 50, nameWindow: 2, trees: 6, leafSize: 8)

    @Test func theIndexFindsTheBurstsOfAFolderAboveTheLimit() {
        let settings = GroupSettings()
        let exact = BurstGrouper.grouping(Self.library, settings: settings, threads: 2, search: .exhaustive)
        let indexed = BurstGrouper.grouping(Self.library, settings: settings, threads: 2, referenceKernel: false,
                                            search: .automatic, index: Self.small)
        let count = Self.library.count
        #expect(exact.pairsCompared == count * (count - 1) / 2)
        #expect(indexed.pairsCompared < exact.pairsCompared / 3)
        // The index only ever loses links; with leaves this small it loses a
        // few (the frames they join are linked through others), and no group changes.
        let found = Set(indexed.untimedLinks.map { "\($0.a) \($0.b)" })
        let all = Set(exact.untimedLinks.map { "\($0.a) \($0.b)" })
        #expect(found.isSubset(of: all) && found.count * 100 >= all.count * 95)
        #expect(indexed.groups == exact.groups)
        let bursts = Dictionary(grouping: indexed.groups, by: { $0 }).values.filter { $0.count > 1 }
        #expect(bursts.count == 14)
    }

    @Test func theIndexDependsOnlyOnTheSetOfPhotos() {
        let settings = GroupSettings()
        func run(_ photos: [GroupingPhoto], threads: Int) -> ([String: String], Set<String>, Int) {
            let result = BurstGrouper.grouping(photos, settings: settings, threads: threads, referenceKernel: false,
                                               search: .indexed, index: Self.small)
            let groups = Dictionary(uniqueKeysWithValues: zip(photos.map(\.id), result.groups))
            return (groups, Set(result.untimedLinks.map { "\($0.a) \($0.b)" }), result.pairsCompared)
        }
        let forward = run(Self.library, threads: 1)
        // Reversed, and interleaved from both ends: other input orders, other thread counts.
        let reversed = run(Self.library.reversed(), threads: 3)
        let half = Self.library.count / 2
        let interleaved = run((0..<half).flatMap { [Self.library[$0], Self.library[Self.library.count - 1 - $0]] },
                              threads: 2)
        for other in [reversed, interleaved] {
            #expect(other.0 == forward.0)
            #expect(other.1 == forward.1)
            #expect(other.2 == forward.2)
        }
    }

    @Test func foldersUpToTheLimitAreSearchedExhaustively() {
        // The default limit is far above this folder: every pair, as in earlier releases.
        let settings = GroupSettings()
        let folder = Array(Self.library.prefix(40))
        let automatic = BurstGrouper.untimedLinks(folder, settings: settings, threads: 2)
        let exhaustive = BurstGrouper.untimedLinks(folder, settings: settings, threads: 2, search: .exhaustive)
        #expect(automatic.pairs == exhaustive.pairs && automatic.pairs == 40 * 39 / 2)
        #expect(automatic.links.map { "\($0.a) \($0.b) \($0.similarity)" }
                == exhaustive.links.map { "\($0.a) \($0.b) \($0.similarity)" })
        // A timed photo of the folder is still compared with the untimed ones, and two timed photos are not.
        var mixed = Array(Self.library.prefix(6))
        for index in [0, 1] {
            mixed[index].captured = CaptureTime(exifDateTime: "2024:05:01 12:00:0\(index * 5)", subSeconds: nil)
        }
        let small = UntimedIndex.Parameters(exhaustiveLimit: 2, nameWindow: 5, trees: 1, leafSize: 6)
        let indexed = BurstGrouper.untimedLinks(mixed, settings: settings, threads: 1, search: .automatic, index: small)
        #expect(indexed.pairs == 6 * 5 / 2 - 1)
        let exact = BurstGrouper.untimedLinks(mixed, settings: settings, threads: 1, search: .exhaustive)
        #expect(exact.pairs == 6 * 5 / 2 - 1)
        #expect(Set(indexed.links.map { "\($0.a) \($0.b)" }) == Set(exact.links.map { "\($0.a) \($0.b)" }))
    }

    @Test func theLayoutIgnoresExposure() {
        let photo = Self.library[0].signature
        let brighter = VisualSignature(cells: photo.cells.map { UInt8(min(255, Int($0) / 2 + 40)) })
        let a = UntimedIndex.layout(photo), b = UntimedIndex.layout(brighter)
        let cosine = Double(zip(a, b).reduce(Int64(0)) { $0 + Int64($1.0) * Int64($1.1) }) / (4096.0 * 4096.0)
        #expect(cosine > 0.99)
    }
}
