import KeepersCore
import Foundation
import KeepersCharts
import KeepersImaging
import Testing
@testable import KeepersReport

@Suite struct ImageryTests {
    /// 4x4 map hot only in its top-left 2x2 cells.
    static let topLeftMap: [Float] = [5, 5, 0, 0,
                                      5, 5, 0, 0,
                                      0, 0, 0, 0,
                                      0, 0, 0, 0]

    @Test func camHotTopLeftWarmsOnlyThatQuadrant() {
        let photo = RGBImage(width: 80, height: 60, fill: (128, 128, 128))
        let out = CAMOverlay.overlay(photo, cam: Self.topLeftMap, width: 4, height: 4)
        let topLeft = meanColour(out, x: 0..<40, y: 0..<30)
        let bottomRight = meanColour(out, x: 40..<80, y: 30..<60)
        #expect(topLeft.r > bottomRight.r + 40, "top-left \(topLeft) vs bottom-right \(bottomRight)")
        #expect(bottomRight.b > topLeft.b + 20)
        // 45% blend: the photo still shows through the coldest colour.
        #expect(abs(bottomRight.r - 128 * 0.55) < 2)
    }

    @Test func camOverlayInTheReportWarmsTheHotQuadrant() throws {
        var photos = ReportFixtures.photos()
        photos[0].image = RGBImage(width: 96, height: 64, fill: (128, 128, 128))
        photos[0].cam = Self.topLeftMap
        photos[0].camWidth = 4
        photos[0].camHeight = 4
        let folder = try ReportFixtures.temporaryFolder()
        _ = try writeReport(ReportFixtures.inputs(photos: photos), to: folder)
        let cam = try StoredImage.read(folder.appendingPathComponent("cam.jpg"))
        // Only photo 0 has a map: one cell in the first section, none in the second.
        let layout = SampleGridLayout()
        #expect(cam.width == layout.width && cam.height == layout.height(sectionCounts: [1, 0]))
        let origin = layout.cellOrigin(section: 0, index: 0, sectionCounts: [1, 0])
        let fitted = ImageOps.fittingSize(width: 96, height: 64, boxWidth: layout.tileWidth, boxHeight: layout.tileHeight)
        let x0 = origin.x + layout.border + (layout.tileWidth - fitted.width) / 2
        let y0 = origin.y + layout.border + (layout.tileHeight - fitted.height) / 2
        let halfW = fitted.width / 2, halfH = fitted.height / 2
        let topLeft = meanColour(cam, x: (x0 + 4)..<(x0 + halfW - 4), y: (y0 + 4)..<(y0 + halfH - 4))
        let bottomRight = meanColour(cam, x: (x0 + halfW + 4)..<(x0 + fitted.width - 4),
                                     y: (y0 + halfH + 4)..<(y0 + fitted.height - 4))
        #expect(topLeft.r > bottomRight.r + 40, "top-left \(topLeft) vs bottom-right \(bottomRight)")
    }

    @Test func flatMapIsUniformlyCold() {
        let photo = RGBImage(width: 10, height: 10, fill: (200, 200, 200))
        let out = CAMOverlay.overlay(photo, cam: [3, 3, 3, 3], width: 2, height: 2)
        #expect(out[0, 0] == out[9, 9])
        #expect(out[0, 0].b > out[0, 0].r)
    }

    @Test func jetRunsFromBlueToRed() {
        #expect(CAMOverlay.jet(0) == (0, 0, 0.5))
        #expect(CAMOverlay.jet(1) == (0.5, 0, 0))
        #expect(CAMOverlay.jet(0.5).g == 1)
    }

    @Test func bilinearSamplingHitsCellCentresAndInterpolatesBetween() {
        let map: [Double] = [0, 1, 2, 3]
        #expect(CAMOverlay.sample(map, width: 2, height: 2, x: 0, y: 0) == 0)
        #expect(CAMOverlay.sample(map, width: 2, height: 2, x: 1, y: 1) == 3)
        #expect(CAMOverlay.sample(map, width: 2, height: 2, x: 0.5, y: 0.5) == 1.5)
        #expect(CAMOverlay.sample(map, width: 2, height: 2, x: -3, y: 0) == 0) // clamped
    }

    @Test func selectionNeverRepeatsAPhoto() {
        let photos = ReportFixtures.photos(count: 8)
        let chosen = SampleGrid.select(photos, top: 5, bottom: 5)
        #expect(chosen.highest.map(\.id) == ["p000", "p001", "p002", "p003", "p004"])
        #expect(chosen.lowest.map(\.id) == ["p007", "p006", "p005"])
    }

    @Test func textWithMarkupCharactersRendersAsText() throws {
        let plain = try TextRenderer.render("B and W")
        let awkward = try TextRenderer.render("B&W <1>")
        #expect(awkward.width > 0 && awkward.height > 0)
        #expect(awkward.coverage.contains { $0 > 200 })
        #expect(awkward.width != plain.width)
        #expect(try TextRenderer.render("").width == 0)
    }

    @Test func chartRasterisesAtItsScaledSize() throws {
        let svg = rocChart(points: [(0, 0), (0.2, 0.7), (1, 1)], auc: 0.75, ci: nil)
        let image = try SVGRaster.image(svg: svg, scale: 0.5)
        #expect(image.width == 280 && image.height == 300)
        // White background with dark ink somewhere (axes, text).
        #expect(image[2, 2] == (255, 255, 255))
        #expect(image.pixels.contains { $0 < 60 })
    }

    @Test func trainingLogReadsNullsAndAbsentKeysAsGaps() throws {
        let folder = try ReportFixtures.temporaryFolder()
        let url = folder.appendingPathComponent("log.jsonl")
        try Data("""
            {"step":50,"train_accuracy":0.6,"train_loss":0.65}
            {"step":100,"train_accuracy":0.62,"train_loss":null,"val_accuracy":0.7,"val_auc":0.8,"val_loss":0.55}

            """.utf8).write(to: url)
        let rows = try TrainingLogRow.read(from: url)
        #expect(rows == [TrainingLogRow(step: 50, trainLoss: 0.65, trainAccuracy: 0.6),
                         TrainingLogRow(step: 100, trainAccuracy: 0.62, valLoss: 0.55, valAccuracy: 0.7, valAUC: 0.8)])
        let curves = TrainingCurves(log: rows + [TrainingLogRow(step: 150, trainLoss: .nan)], smoothingWindow: 10)
        #expect(curves.loss.map(\.batch) == [50])
        #expect(curves.accuracy.map(\.batch) == [50, 100])
        #expect(curves.validationAUC.map(\.value) == [0.8])
    }
}
