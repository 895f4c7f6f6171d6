import Foundation
import KeepersCore
import Testing
@testable import KeepersImaging
import KeepersTestSupport

@Suite struct PhotoPreprocessorTests {
    func preprocessor(width: Int = 160, quantum: Int = 16, maxPixels: Int = 50_000_000) throws -> PhotoPreprocessor {
        var settings = ImageSettings()
        settings.width = width
        settings.heightQuantum = quantum
        settings.background = [0, 255, 0]
        return try PhotoPreprocessor(settings: settings, maxPixels: maxPixels)
    }

    func expectRedOverBlue(_ image: RGBImage) {
        let top = Fixtures.mean(image, rows: 0..<(image.height / 3))
        let bottom = Fixtures.mean(image, rows: (2 * image.height / 3)..<image.height)
        // Dominance rather than exact values: CMYK cannot hold saturated blue.
        #expect(top.r > top.b + 100 && top.r > 150, "top should be red, got \(top)")
        #expect(bottom.b > bottom.r + 60 && bottom.b > 120, "bottom should be blue, got \(bottom)")
    }

    @Test func jpegIsResizedToWidthWithAspectKeptAndHeightSnapped() throws {
        let data = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 640, height: 430), as: .jpeg)
        let image = try preprocessor().process(data)
        // 160 * 430/640 = 107.5 -> snapped down to 96.
        #expect(image.width == 160 && image.height == 96)
        expectRedOverBlue(image)
    }

    @Test func exifOrientationSixComesOutUpright() throws {
        let upright = Fixtures.redOverBlue(width: 600, height: 400)
        let stored = Fixtures.rotatedCounterClockwise(upright)
        #expect(stored.width == 400 && stored.height == 600)
        let data = try PhotoEncoder.encode(stored, as: .jpeg, orientation: 6)
        let image = try preprocessor(width: 150).process(data)
        #expect(image.width == 150 && image.height == 96) // 150 * 400/600 = 100 -> 96
        expectRedOverBlue(image)
    }

    @Test(arguments: [PhotoEncoder.Pixels.cmyk, .rgb16])
    func cmykAndSixteenBitBecomeEightBitSRGB(pixels: PhotoEncoder.Pixels) throws {
        let format: PhotoEncoder.Format = pixels == .cmyk ? .jpeg : .png
        let data = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 320, height: 320), as: format, pixels: pixels)
        let image = try preprocessor().process(data)
        #expect(image.width == 160 && image.height == 160)
        expectRedOverBlue(image)
    }

    @Test func greyBecomesThreeEqualChannels() throws {
        let data = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 320, height: 240), as: .png, pixels: .grey)
        let image = try preprocessor().process(data)
        #expect(image.width == 160 && image.height == 112)
        for y in stride(from: 0, to: image.height, by: 7) {
            let p = image[5, y]
            #expect(p.r == p.g && p.g == p.b)
        }
    }

    @Test func alphaIsFlattenedOntoTheConfiguredBackground() throws {
        let base = Fixtures.redOverBlue(width: 320, height: 320)
        // Left half fully transparent, right half opaque.
        let alpha = (0..<(320 * 320)).map { $0 % 320 < 160 ? UInt8(0) : UInt8(255) }
        let data = try PhotoEncoder.encode(base, as: .png, pixels: .rgba(alpha: alpha))
        let image = try preprocessor().process(data)
        #expect(image[10, 10] == (0, 255, 0))
        #expect(image[150, 10].r > 200 && image[150, 10].g < 40)
    }

    @Test(arguments: [PhotoEncoder.Format.webp, .tiff, .gif, .png])
    func otherFormatsDecode(format: PhotoEncoder.Format) throws {
        let data = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 320, height: 240), as: format)
        let image = try preprocessor().process(data)
        #expect(image.width == 160 && image.height == 112)
        expectRedOverBlue(image)
    }

    @Test func extremeAspectRatiosAreCentreCroppedToTheBounds() throws {
        let p = try preprocessor()
        #expect(p.targetSize(width: 3000, height: 500) == (160, 80)) // panorama -> min aspect 0.5
        #expect(p.targetSize(width: 500, height: 3000) == (160, 240)) // tall -> max aspect 1.5
        #expect(p.targetSize(width: 160, height: 10) == (160, 80))
        let panorama = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 1200, height: 200), as: .png)
        let image = try p.process(panorama)
        #expect(image.width == 160 && image.height == 80)
        expectRedOverBlue(image)
    }

    @Test func truncatedJPEGIsRefusedWithLibvipsReason() throws {
        let data = try PhotoEncoder.encode(Fixtures.redOverBlue(width: 800, height: 600), as: .jpeg)
        let truncated = data.prefix(data.count / 2)
        #expect {
            _ = try preprocessor().process(Data(truncated))
        } throws: { error in
            guard case let PhotoRejection.undecodable(message) = error else { return false }
            return !message.isEmpty
        }
    }

    @Test func emptyAndNonImageBytesAreRefused() throws {
        #expect(throws: PhotoRejection.empty) { _ = try preprocessor().process(Data()) }
        #expect(throws: PhotoRejection.notAnImage) {
            _ = try preprocessor().process(Data("hello, this is not a photo\n".utf8))
        }
    }

    @Test func decompressionBombIsRefusedFromItsHeader() throws {
        let bomb = Fixtures.pngBombHeader(width: 60000, height: 60000)
        #expect(throws: PhotoRejection.tooManyPixels(width: 60000, height: 60000, limit: 50_000_000)) {
            _ = try preprocessor().process(bomb)
        }
    }

    @Test func storedImagesRoundTripExactly() throws {
        var image = RGBImage(width: 7, height: 5)
        for i in image.pixels.indices { image.pixels[i] = UInt8((i * 37) % 256) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keepers-stored-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.png")
        try StoredImage.write(image, to: url)
        #expect(try StoredImage.read(url) == image)
    }
}
