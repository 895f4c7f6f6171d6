import Foundation
import KeepersCore
import KeepersImaging
import KeepersTestSupport
import Testing

/// Camera RAW through LibRaw, on DNGs made from a real photograph's pixels
/// (RawFixtures): the stored image must match what the photo itself gives.
@Suite("RAW decoding") struct RawDecodeTests {
    static func preprocessor() throws -> PhotoPreprocessor {
        var settings = ImageSettings()
        settings.width = 128
        return try PhotoPreprocessor(settings: settings, maxPixels: 50_000_000)
    }

    /// Grey-level Pearson correlation and mean absolute difference (0-255, all channels).
    static func match(_ a: RGBImage, _ b: RGBImage) -> (correlation: Double, meanDifference: Double) {
        precondition(a.width == b.width && a.height == b.height)
        let grey = { (image: RGBImage) in
            stride(from: 0, to: image.pixels.count, by: 3).map { i in
                (Double(image.pixels[i]) + Double(image.pixels[i + 1]) + Double(image.pixels[i + 2])) / 3
            }
        }
        let (x, y) = (grey(a), grey(b))
        let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
        var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
        for (u, v) in zip(x, y) {
            sxy += (u - mx) * (v - my)
            sxx += (u - mx) * (u - mx)
            syy += (v - my) * (v - my)
        }
        let difference = zip(a.pixels, b.pixels).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(a.pixels.count)
        return (sxy / (sxx * syy).squareRoot(), difference)
    }

    @Test("half-size demosaic and embedded preview both match the source photo")
    func bothPaths() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let source = try RawFixtures.photo("coffee")
        let preprocessor = try Self.preprocessor()
        let reference = try preprocessor.process(try Data(contentsOf: source))

        let plain = temp.url.appendingPathComponent("plain.dng")
        let withPreview = temp.url.appendingPathComponent("preview.dng")
        try RawFixtures.dng(from: source, to: plain)
        try RawFixtures.dng(from: source, to: withPreview, preview: 400)

        for (file, path, minimum, maximumDifference) in [(plain, PhotoPreprocessor.RawPath.halfSize, 0.99, 6.0),
                                                         (withPreview, .preview, 0.99, 6.0)] {
            let bytes = try Data(contentsOf: file)
            let decoded = try #require(try preprocessor.processRaw(bytes))
            #expect(decoded.path == path)
            #expect(decoded.image.width == reference.width && decoded.image.height == reference.height)
            let match = Self.match(decoded.image, reference)
            print("RAW \(path.rawValue): grey correlation \(match.correlation), mean |difference| \(match.meanDifference)")
            #expect(match.correlation > minimum, "\(path)")
            #expect(match.meanDifference < maximumDifference, "\(path)")
            // The ordinary entry point takes the same route (libvips alone reads the mosaic).
            #expect(try preprocessor.process(bytes) == decoded.image)
        }
    }

    @Test("a preview narrower than the stored width is not used")
    func smallPreview() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let file = temp.url.appendingPathComponent("small-preview.dng")
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: file, preview: 100)
        #expect(try #require(try Self.preprocessor().processRaw(try Data(contentsOf: file))).path == .halfSize)
    }

    @Test("the RAW's orientation is applied on both paths")
    func orientation() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let source = try RawFixtures.photo("coffee")
        let preprocessor = try Self.preprocessor()
        // Orientation 6: the viewer turns the stored (landscape) sensor image clockwise.
        let turned = temp.url.appendingPathComponent("upright.png")
        let rotate = "from PIL import Image; import sys; Image.open(sys.argv[1]).transpose(Image.ROTATE_270).save(sys.argv[2])"
        #expect(try Python.run(RawFixtures.python(), ["-c", rotate, source.path, turned.path]).status == 0)
        let upright = try preprocessor.process(try Data(contentsOf: turned))
        for preview in [nil, 160] as [Int?] {
            let file = temp.url.appendingPathComponent("rotated-\(preview ?? 0).dng")
            try RawFixtures.dng(from: source, to: file, preview: preview, orientation: 6)
            let decoded = try #require(try preprocessor.processRaw(try Data(contentsOf: file)))
            #expect(decoded.image.width == upright.width && decoded.image.height == upright.height)
            #expect(Self.match(decoded.image, upright).correlation > 0.98, "\(decoded.path)")
        }
    }

    @Test("non-RAW files are left to libvips; a broken RAW is refused with LibRaw's reason")
    func notRaw() throws {
        let preprocessor = try Self.preprocessor()
        let image = Fixtures.redOverBlue(width: 64, height: 48)
        for format in [PhotoEncoder.Format.jpeg, .tiff, .png] {
            #expect(try preprocessor.processRaw(PhotoEncoder.encode(image, as: format)) == nil)
        }
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let file = temp.url.appendingPathComponent("cut.dng")
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: file)
        let truncated = try Data(contentsOf: file).prefix(4000)
        #expect(throws: PhotoRejection.self) { _ = try preprocessor.process(truncated) }
    }

    @Test("a RAW file's capture time comes from LibRaw, to the second")
    func captureTime() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let file = temp.url.appendingPathComponent("timed.dng")
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: file, captured: "2022:03:04 05:06:07")
        #expect(CameraClock.read(try Data(contentsOf: file)) == CameraClock(dateTime: "2022:03:04 05:06:07", subSeconds: nil))
        let untimed = temp.url.appendingPathComponent("untimed.dng")
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: untimed)
        #expect(CameraClock.read(try Data(contentsOf: untimed)) == nil)
    }

    @Test("decoding a RAW file reads the same capture time")
    func captureTimeWhileDecoding() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-raw")
        let file = temp.url.appendingPathComponent("timed.dng")
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: file, captured: "2022:03:04 05:06:07")
        let decoded = try Self.preprocessor().processWithClock(try Data(contentsOf: file))
        #expect(decoded.clock == CameraClock(dateTime: "2022:03:04 05:06:07", subSeconds: nil))
    }
}
