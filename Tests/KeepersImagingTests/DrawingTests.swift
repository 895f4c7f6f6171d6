import Foundation
import Testing
@testable import KeepersImaging
import KeepersTestSupport

@Suite struct DrawingTests {
    @Test func pasteClipsAtEveryEdge() {
        var canvas = RGBImage(width: 10, height: 8)
        let patch = RGBImage(width: 4, height: 4, fill: (200, 10, 10))
        canvas.paste(patch, x: -2, y: -2)
        canvas.paste(patch, x: 8, y: 6)
        #expect(canvas[0, 0] == (200, 10, 10) && canvas[1, 1] == (200, 10, 10))
        #expect(canvas[2, 2] == (0, 0, 0) && canvas[2, 0] == (0, 0, 0))
        #expect(canvas[9, 7] == (200, 10, 10) && canvas[8, 6] == (200, 10, 10) && canvas[7, 7] == (0, 0, 0))
        let before = canvas
        canvas.paste(patch, x: 20, y: 0) // entirely outside: no effect, no trap
        canvas.paste(patch, x: 0, y: -9)
        canvas.fill(x: 11, y: 9, width: 3, height: 3, colour: (1, 2, 3))
        canvas.fill(x: -5, y: 0, width: 2, height: 3, colour: (1, 2, 3))
        #expect(canvas == before)
    }

    @Test func outlineIsDrawnInsideTheRectangle() {
        var canvas = RGBImage(width: 12, height: 12)
        canvas.outline(x: 1, y: 1, width: 10, height: 10, thickness: 3, colour: (0, 255, 0))
        #expect(canvas[1, 1] == (0, 255, 0) && canvas[3, 6] == (0, 255, 0) && canvas[10, 10] == (0, 255, 0))
        #expect(canvas[4, 4] == (0, 0, 0) && canvas[7, 7] == (0, 0, 0)) // the inside stays
        #expect(canvas[0, 0] == (0, 0, 0) && canvas[11, 11] == (0, 0, 0)) // nothing outside
    }

    @Test func textMaskBlendsByCoverage() {
        var canvas = RGBImage(width: 3, height: 1, fill: (0, 0, 0))
        let mask = TextMask(width: 3, height: 1, coverage: [0, 128, 255])
        canvas.draw(mask, x: 0, y: 0, colour: (255, 255, 255))
        #expect(canvas[0, 0] == (0, 0, 0) && canvas[1, 0] == (128, 128, 128) && canvas[2, 0] == (255, 255, 255))
        #expect(mask.cropped(width: 2, height: 5) == TextMask(width: 2, height: 1, coverage: [0, 128]))
    }

    @Test func resizeHitsTheExactSizeAndKeepsContent() throws {
        let image = try ImageOps.resize(Fixtures.redOverBlue(width: 300, height: 200), width: 97, height: 61)
        #expect(image.width == 97 && image.height == 61)
        let top = Fixtures.mean(image, rows: 0..<20), bottom = Fixtures.mean(image, rows: 41..<61)
        #expect(top.r > 180 && bottom.b > 180)
        #expect(ImageOps.fittingSize(width: 300, height: 200, boxWidth: 192, boxHeight: 128) == (192, 128))
        #expect(ImageOps.fittingSize(width: 200, height: 300, boxWidth: 192, boxHeight: 128) == (85, 128))
    }

    @Test func jpegBytesDecodeBackToTheImage() throws {
        let data = try StoredImage.jpegData(Fixtures.redOverBlue(width: 64, height: 48), quality: 90)
        #expect(data.starts(with: [0xFF, 0xD8]))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drawing-\(UUID().uuidString).jpg")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let back = try StoredImage.read(url)
        #expect(back.width == 64 && back.height == 48)
        #expect(Fixtures.mean(back, rows: 0..<20).r > 180)
    }
}
