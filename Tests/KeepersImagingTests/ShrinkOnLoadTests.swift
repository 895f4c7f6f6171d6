import Foundation
import KeepersCore
import Testing
@testable import KeepersImaging

/// JPEG shrink-on-load: the scale chosen, and what it costs in pixels.
@Suite struct ShrinkOnLoadTests {
    @Test func largestDCTScaleThatStillCoversTheTarget() {
        let shrink = DecodeRecipe.jpegShrink
        #expect(shrink((4000, 3000), (480, 352)) == 8)  // 500x375
        #expect(shrink((3840, 2880), (480, 352)) == 8)  // 480x360: exactly the width
        #expect(shrink((3832, 2880), (480, 352)) == 4)  // 1/8 would be 479 wide
        #expect(shrink((1600, 1200), (480, 352)) == 2)  // 1/4 would be 400 wide
        #expect(shrink((3000, 500), (160, 80)) == 4)    // panorama: the height decides
        #expect(shrink((100, 100), (160, 160)) == 1)    // upsizing: never shrink
    }

    /// A photo-like test pattern: smooth shading plus detail a few output
    /// pixels across, the range where a block shrink and lanczos differ.
    func pattern(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = (Double(x) / Double(width), Double(y) / Double(height))
                let detail = 40 * sin(Double(x) / 9) * cos(Double(y) / 13)
                image[x, y] = (UInt8(clamping: Int(60 + 120 * u + detail)), UInt8(clamping: Int(200 - 100 * v)),
                               UInt8(clamping: Int(90 + 80 * u * v - detail)))
            }
        }
        return image
    }

    @Test func reducedDecodeStaysCloseToAFullDecodeAndResize() throws {
        // 1280x1024 to 160 wide: decoded at 1/8, exactly 160x128, no crop.
        let jpeg = try PhotoEncoder.encode(pattern(width: 1280, height: 1024), as: .jpeg)
        var settings = ImageSettings()
        settings.width = 160
        let fast = try PhotoPreprocessor(settings: settings, maxPixels: 50_000_000).process(jpeg)
        settings.width = 1280
        let full = try PhotoPreprocessor(settings: settings, maxPixels: 50_000_000).process(jpeg)
        #expect(full.width == 1280 && full.height == 1024)
        let reference = try ImageOps.resize(full, width: 160, height: 128)
        #expect(fast.width == 160 && fast.height == 128)
        let diffs: [Double] = zip(fast.pixels, reference.pixels).map { abs(Double($0) - Double($1)) }
        let count = Double(diffs.count)
        let meanAbs = diffs.reduce(0, +) / count
        let meanSquare = diffs.reduce(0) { $0 + $1 * $1 } / count
        let psnr = 10 * log10(255 * 255 / meanSquare)
        #expect(meanAbs < 1.5 && psnr > 40, "mean abs diff \(meanAbs), PSNR \(psnr) dB")
    }

    @Test func decodingIsBitwiseRepeatable() throws {
        let jpeg = try PhotoEncoder.encode(pattern(width: 900, height: 700), as: .jpeg)
        var settings = ImageSettings()
        settings.width = 200
        let preprocessor = try PhotoPreprocessor(settings: settings, maxPixels: 50_000_000)
        #expect(try preprocessor.process(jpeg) == preprocessor.process(jpeg))
    }

    @Test func theDecodePathIsNamedWithTheLibvipsVersion() {
        #expect(DecodeRecipe.identity.hasPrefix("decode 2, libvips 8."))
    }
}
