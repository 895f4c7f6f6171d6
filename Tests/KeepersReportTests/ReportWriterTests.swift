import Foundation
import KeepersCore
import KeepersImaging
import KeepersMetrics
import Testing
@testable import KeepersReport

@Suite struct ReportWriterTests {
    /// The kept model's validation AUC (the log row at its step) stands next
    /// to the test AUC, in metrics.json and on the page.
    @Test func validationAUCOfTheKeptModelIsReported() throws {
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(ReportFixtures.inputs(), to: folder)
        #expect(result.summary.valAUC == 0.85)  // log row at step 1000
        let json = try String(contentsOf: folder.appendingPathComponent("metrics.json"), encoding: .utf8)
        #expect(json.contains(#""val_auc" : 0.85"#))
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Validation ROC AUC of this model</th><td>0.850"))
    }

    /// Burst groups are counted in metrics.json and among the key numbers.
    @Test func groupCountsAreReported() throws {
        let entries = ["a", "b", "c", "d", "e"].enumerated().map { index, id in
            ManifestEntry(id: id, source: "\(id).jpg", label: "good", split: index < 3 ? .train : .test, width: 8,
                          height: 8, sha256: id, repeat: 1, group: index < 3 ? "a" : id)
        }
        var inputs = ReportFixtures.inputs()
        inputs.groups = GroupCounts(entries)
        inputs.testGroups = GroupCounts(entries.filter { $0.split == .test })
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(inputs, to: folder)
        #expect(result.summary.groups == GroupCounts(entries))
        let json = try String(contentsOf: folder.appendingPathComponent("metrics.json"), encoding: .utf8)
        #expect(json.contains(#""largest" : 3"#) && json.contains(#""test_groups" : {"#))
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Groups (bursts)</th><td>3 in all, largest 3 photos; 2 in the test split"))
    }

    /// Eight test photos cannot pin an AUC down: the page says so in a box.
    @Test func aWideIntervalPutsAWarningOnThePage() throws {
        let few = (0..<8).map { ReportFixtures.photo($0, count: 8, positive: [0, 2, 5].contains($0)) }
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(ReportFixtures.inputs(photos: few), to: folder)
        #expect(result.summary.aucCIHigh - result.summary.aucCILow > MetricsSummary.firmIntervalWidth)
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains(#"<p class="warning" role="alert">Too few test photos for a firm figure"#))

        let many = (0..<400).map { ReportFixtures.photo($0, count: 400, positive: $0 % 7 != 3 && $0 < 200) }
        let calm = try writeReport(ReportFixtures.inputs(photos: many), to: try ReportFixtures.temporaryFolder())
        #expect(calm.summary.warnings.isEmpty)
    }

    @Test func scoresCSVParsesBackSortedWithAwkwardSources() throws {
        var photos = ReportFixtures.photos(count: 6)
        photos[0].source = "a,b/\"quoted\" name.jpg"
        photos[1].source = "line\r\nbreak.jpg"
        photos[2].source = "plain.jpg"
        // A tie: equal scores must come out in id order whatever the input order.
        photos[4].score = photos[3].score
        photos[5].score = 1e-5
        let folder = try ReportFixtures.temporaryFolder()
        _ = try writeReport(ReportFixtures.inputs(photos: photos.reversed()), to: folder)
        let text = try String(contentsOf: folder.appendingPathComponent("scores.csv"), encoding: .utf8)
        let rows = parseCSV(text)
        #expect(rows.first == ["id", "source", "label", "score"])
        let body = Array(rows.dropFirst())
        #expect(body.count == photos.count)
        #expect(body.allSatisfy { $0.count == 4 })
        let byID = Dictionary(uniqueKeysWithValues: photos.map { ($0.id, $0) })
        for row in body {
            let photo = try #require(byID[row[0]])
            #expect(row[1] == photo.source && row[2] == photo.label)
            #expect(Double(row[3]) == photo.score, "score \(row[3]) must round-trip to \(photo.score)")
        }
        let keys = body.map { (score: Double($0[3])!, id: $0[0]) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) })
        #expect(body.map { $0[0] }.firstIndex(of: "p003")! < body.map { $0[0] }.firstIndex(of: "p004")!)
    }

    @Test func metricsJSONDecodesWithTheInputsAUC() throws {
        let inputs = ReportFixtures.inputs()
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(inputs, to: folder)
        let data = try Data(contentsOf: folder.appendingPathComponent("metrics.json"))
        let decoded = try JSONDecoder().decode(MetricsSummary.self, from: data)
        let auc = try rocAUC(scores: inputs.photos.map(\.score), labels: inputs.photos.map(\.isPositive))
        #expect(decoded.auc == auc)
        #expect(decoded == result.summary)
        #expect(decoded.countPositive + decoded.countNegative == 30)
        #expect(decoded.steps == 1000 && decoded.parameters == 54_321)
        #expect(decoded.bootstrap == 200 && decoded.bootstrapSeed == 7)
        #expect(decoded.aucCILow <= auc && auc <= decoded.aucCIHigh)
        #expect(decoded.confusionAt05.fp + decoded.confusionAt05.fn == ReportFixtures.flipped.count)
        #expect(result.misclassified == ReportFixtures.flipped.count)
    }

    @Test func figuresDecodeAtTheirExpectedSizes() throws {
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(ReportFixtures.inputs(), to: folder)
        #expect(result.files == ["scores.csv", "metrics.json", "roc.svg", "roc.png", "training.svg",
                                 "training.png", "samples.jpg", "index.html"])
        let roc = try StoredImage.read(folder.appendingPathComponent("roc.png"))
        #expect(roc.width == 840 && roc.height == 900) // 560 x 600 SVG at 1.5x
        let training = try StoredImage.read(folder.appendingPathComponent("training.png"))
        #expect(training.width == 960 && training.height == 1140) // 640 x 760 at 1.5x

        // 13 + 12 cells, 5 per row: two sections of 3 rows each.
        let layout = SampleGridLayout()
        let cellWidth = layout.tileWidth + 2 * layout.border
        let cellHeight = layout.tileHeight + layout.captionHeight + 2 * layout.border
        let section = layout.titleHeight + layout.gap + 3 * cellHeight + 2 * layout.gap + layout.margin
        let samples = try StoredImage.read(folder.appendingPathComponent("samples.jpg"))
        #expect(samples.width == 2 * layout.margin + 5 * cellWidth + 4 * layout.gap)
        #expect(samples.height == layout.margin + 2 * section)
        // No photo carries a map, so there is no CAM figure.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("cam.jpg").path))
    }

    @Test func misclassifiedTilesAreFramedInRed() throws {
        let folder = try ReportFixtures.temporaryFolder()
        _ = try writeReport(ReportFixtures.inputs(), to: folder)
        let samples = try StoredImage.read(folder.appendingPathComponent("samples.jpg"))
        let layout = SampleGridLayout(), counts = [13, 12]
        // Section 0 shows photos 0...12 highest first; section 1 shows 29 down to 18.
        let shown = [(0..<13).map { (0, $0, $0) }, (0..<12).map { (1, $0, 29 - $0) }].joined()
        var redTiles = 0
        for (section, index, photo) in shown {
            let o = layout.cellOrigin(section: section, index: index, sectionCounts: counts)
            let mid = layout.border / 2
            let borderPixels = [samples[o.x + mid, o.y + layout.cellHeight / 2],
                                samples[o.x + layout.cellWidth - 1 - mid, o.y + layout.cellHeight / 2],
                                samples[o.x + layout.cellWidth / 2, o.y + mid],
                                samples[o.x + layout.cellWidth / 2, o.y + layout.cellHeight - 1 - mid]]
            let wrong = ReportFixtures.flipped.contains(photo)
            #expect(borderPixels.allSatisfy(isRed) == wrong, "photo \(photo): border \(borderPixels)")
            #expect(borderPixels.contains(where: isRed) == wrong, "photo \(photo): border \(borderPixels)")
            if wrong { redTiles += 1 }
        }
        #expect(redTiles == 3)
    }

    @Test func indexMentionsEveryFigureAndTheAUC() throws {
        let folder = try ReportFixtures.temporaryFolder()
        var photos = ReportFixtures.photos()
        photos[0].cam = [1, 0, 0, 0]
        photos[0].camWidth = 2
        photos[0].camHeight = 2
        let result = try writeReport(ReportFixtures.inputs(photos: photos), to: folder)
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        for name in ["roc.png", "training.png", "samples.jpg", "cam.jpg"] {
            #expect(html.contains("src=\"\(name)\""), "index.html should show \(name)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        }
        #expect(html.contains(String(format: "%.3f", result.summary.auc)))
        #expect(html.contains("16x64x96") && html.contains("name: demo"))
    }

    @Test func aRerunWithoutLogOrMapsRemovesThoseFigures() throws {
        let folder = try ReportFixtures.temporaryFolder()
        var photos = ReportFixtures.photos()
        photos[3].cam = [0, 1]
        photos[3].camWidth = 2
        photos[3].camHeight = 1
        _ = try writeReport(ReportFixtures.inputs(photos: photos), to: folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cam.jpg").path))
        let result = try writeReport(ReportFixtures.inputs(log: []), to: folder)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["index.html", "metrics.json", "roc.png", "roc.svg", "samples.jpg", "scores.csv"])
        #expect(result.files.count == left.count)
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!html.contains("cam.jpg") && !html.contains("training.png"))
    }

    @Test func onlyThePhotosShownNeedImages() throws {
        var photos = ReportFixtures.photos()
        let shown = ReportInputs.photosShown(photos, settings: ReportFixtures.inputs().settings)
        #expect(shown == Set(((0..<13).map { $0 } + (18..<30).map { $0 }).map { String(format: "p%03d", $0) }))
        for i in 13..<18 { photos[i].image = nil }
        let folder = try ReportFixtures.temporaryFolder()
        let result = try writeReport(ReportFixtures.inputs(photos: photos), to: folder)
        #expect(result.summary.countPositive + result.summary.countNegative == 30)
        photos[20].image = nil
        do {
            _ = try writeReport(ReportFixtures.inputs(photos: photos), to: folder)
            Issue.record("a shown photo without an image was accepted")
        } catch {
            #expect("\(error)".contains("p020"))
        }
    }

    @Test func invalidInputsAreRefusedWithTheReason() throws {
        let folder = try ReportFixtures.temporaryFolder()
        var duplicate = ReportFixtures.photos(count: 4)
        duplicate[1].id = duplicate[0].id
        #expect(throws: (any Error).self) { try writeReport(ReportFixtures.inputs(photos: duplicate), to: folder) }
        var badMap = ReportFixtures.photos(count: 4)
        badMap[0].cam = [0, 1, 2]
        badMap[0].camWidth = 2
        badMap[0].camHeight = 2
        do {
            _ = try writeReport(ReportFixtures.inputs(photos: badMap), to: folder)
            Issue.record("a 3-value map declared 2x2 was accepted")
        } catch {
            #expect("\(error)".contains("3 values"))
        }
        // One class only: AUC is undefined, the metrics error says so.
        let oneClass = (0..<4).map { ReportFixtures.photo($0, count: 4, positive: true) }
        #expect(throws: MetricsError.singleClass(positives: 4, negatives: 0)) {
            try writeReport(ReportFixtures.inputs(photos: oneClass), to: folder)
        }
    }
}
