import Foundation
import KeepersCore
import KeepersGroups
import KeepersTestSupport
import KeepersXMP
import Testing
@testable import KeepersScoring

@Suite struct PredictionGroupsTests {
    static func look(_ seed: Int, dx: Double = 0) -> VisualSignature {
        let image = Fixtures.scene(seed: seed, width: 240, height: 160, dx: dx)
        return VisualSignature(rgb: image.pixels, width: image.width, height: image.height)
    }

    static func at(_ seconds: Int, _ tenths: Int) -> CaptureTime {
        CaptureTime(exifDateTime: String(format: "2024:05:01 10:00:%02d", seconds), subSeconds: String(tenths))!
    }

    /// Two bursts (one timed, one not) and a single photo, plus an unreadable file.
    static func predictions(in folder: String) -> [Prediction] {
        [
            Prediction(path: "\(folder)/a1.jpg", score: 0.30, error: nil, captured: at(1, 0), signature: look(1)),
            Prediction(path: "\(folder)/a2.jpg", score: 0.70, error: nil, captured: at(1, 3), signature: look(1, dx: 5)),
            Prediction(path: "\(folder)/a3.jpg", score: 0.50, error: nil, captured: at(1, 6), signature: look(1, dx: 9)),
            Prediction(path: "\(folder)/b1.jpg", score: 0.90, error: nil, signature: look(2)),
            Prediction(path: "\(folder)/b2.jpg", score: 0.20, error: nil, signature: look(2, dx: 6)),
            Prediction(path: "\(folder)/c.jpg", score: 0.60, error: nil, captured: at(1, 4), signature: look(3)),
            Prediction(path: "\(folder)/broken.jpg", score: nil, error: "corrupt"),
        ]
    }

    @Test func groupsAreNumberedByTheirBestPhotoAndRankedWithin() {
        let result = PredictionOutput.sorted(PredictionGroups.assign(Self.predictions(in: "/p")))
        let rows = result.map { "\(URL(fileURLWithPath: $0.path).lastPathComponent) \($0.group.map(String.init) ?? "-") \($0.rank.map(String.init) ?? "-")" }
        #expect(rows == ["b1.jpg 1 1", "a2.jpg 2 1", "c.jpg 3 1", "a3.jpg 2 2", "a1.jpg 2 3", "b2.jpg 1 2", "broken.jpg - -"])
    }

    @Test func untimedPhotosInOtherFoldersAreNotGrouped() {
        var predictions = Self.predictions(in: "/p")
        predictions[4] = Prediction(path: "/q/b2.jpg", score: 0.20, error: nil, signature: Self.look(2, dx: 6))
        let result = PredictionGroups.assign(predictions)
        #expect(result[3].group != result[4].group)
        #expect(result[4].rank == 1)
    }

    @Test func withoutGroupsEveryPhotoRanksFirst() {
        var settings = GroupSettings()
        settings.enabled = false
        let result = PredictionGroups.assign(Self.predictions(in: "/p"), settings: settings)
        #expect(result.compactMap(\.rank) == [1, 1, 1, 1, 1, 1])
        #expect(Set(result.compactMap(\.group)).count == 6)
    }

    @Test func bestOfGroupKeepsOneFramePerBurstAndLowersTheSiblingsStars() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-best-of-group")
        let folder = temp.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let predictions = PredictionOutput.sorted(PredictionGroups.assign(Self.predictions(in: folder.path)))
        for prediction in predictions { try Data("photo".utf8).write(to: URL(fileURLWithPath: prediction.path)) }

        let keep = temp.url.appendingPathComponent("keep")
        #expect(try PredictionOutput.keep(predictions, threshold: 0.45, into: keep, copy: false, bestOfGroup: true) == 3)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: keep.path)) == ["b1.jpg", "a2.jpg", "c.jpg"])

        let writer = SidecarWriter(scale: try StarScale(cutoffs: [0.2, 0.4, 0.6, 0.8]), threshold: 0.45, label: "Green")
        let outcomes = SidecarExport.write(predictions, with: writer, dryRun: false, bestOfGroup: true)
        let after = Dictionary(uniqueKeysWithValues: try outcomes.map {
            (URL(fileURLWithPath: $0.path).lastPathComponent, try $0.result.get().after)
        })
        // a2 (0.70) earns 4 stars; a3 (0.50) would earn 3 but is capped at 4 - 1 = 3; a1 (0.30) keeps its 2.
        #expect(after["a2.jpg"]?[0] == "4" && after["a2.jpg"]?[1] == "Green")
        #expect(after["a3.jpg"]?[0] == "3" && after["a3.jpg"]?[1] == nil)
        #expect(after["a1.jpg"]?[0] == "2")
        // b1 (0.90) has 5 stars; b2 (0.20) has 2 of its own, below the cap of 4.
        #expect(after["b1.jpg"]?[0] == "5" && after["b2.jpg"]?[0] == "2")
        // A burst sibling scoring as high as the best frame still gets a star less.
        let tied = PredictionGroups.assign([
            Prediction(path: "\(folder.path)/t1.jpg", score: 0.95, error: nil, captured: Self.at(5, 0), signature: Self.look(4)),
            Prediction(path: "\(folder.path)/t2.jpg", score: 0.95, error: nil, captured: Self.at(5, 3), signature: Self.look(4, dx: 4)),
        ])
        for prediction in tied { try Data("photo".utf8).write(to: URL(fileURLWithPath: prediction.path)) }
        let tiedOutcomes = SidecarExport.write(tied, with: writer, dryRun: true, bestOfGroup: true)
        #expect(try tiedOutcomes.map { try $0.result.get().after[0] } == ["5", "4"])
    }
}
