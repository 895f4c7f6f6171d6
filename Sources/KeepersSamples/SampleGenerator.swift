import Foundation
import KeepersCore
import KeepersImaging

/// Writes the built-in sample photos: `good/` and `bad/` folders of synthetic
/// landscapes (JPEG), the default input of `make all`.
public struct SampleGenerator: Sendable {
    public var count = 400
    /// Share of good photos (the seed had 549 good of 1,849, about 30%).
    public var goodFraction = 0.28
    public var seed: UInt64 = 2017
    /// Scales every photo's size (tests use small photos).
    public var sizeScale = 1.0
    public var threads = 0
    /// Every photo exactly this size (width, height) instead of the varied
    /// sizes and aspects: the camera-sized set the ingest benchmark uses.
    public var fixedSize: (width: Int, height: Int)?
    /// Scenes shot as a burst of `burstFrames` frames 0.3 s apart: the first
    /// sharp and well exposed (good), then one panned 2% and underexposed,
    /// one panned back and shaken, one overexposed (bad). They come last.
    /// Nil: one burst per 40 photos (10 of the default 400).
    public var bursts: Int?
    public static let burstFrames = 4

    public init() {}

    public var burstCount: Int { bursts ?? count / 40 }
    /// Photos that are not burst frames.
    public var singles: Int { count - burstCount * Self.burstFrames }

    public func recipes() -> [SceneRecipe] {
        let goodCount = Int((Double(singles) * goodFraction).rounded())
        // Spread good frames over the index range so that file numbers and
        // orientations do not cluster by class.
        let order = (0..<singles).sorted {
            CounterRandom(seed: seed).bits(stream: 9, counter: UInt64($0))
                < CounterRandom(seed: seed).bits(stream: 9, counter: UInt64($1))
        }
        let goodIndices = Set(order.prefix(goodCount))
        var recipes = (0..<singles).map { index in
            SceneRecipe.draw(index: index, good: goodIndices.contains(index), seed: seed, sizeScale: sizeScale)
        }
        for burst in 0..<burstCount {
            let first = SceneRecipe.draw(index: singles + burst * Self.burstFrames, good: true, seed: seed, sizeScale: sizeScale)
            recipes += Self.burst(of: first)
        }
        // Capture times: singles 20-120 s apart from 2017-06-01 09:00 (UTC
        // clock, no zone in EXIF), each burst frame 0.3 s after the one before.
        var tenths = 0
        for index in recipes.indices {
            if let fixedSize { (recipes[index].width, recipes[index].height) = fixedSize }
            let burstFrame = index >= singles && (index - singles) % Self.burstFrames != 0
            if index > 0 {
                tenths += burstFrame ? 3 : 200 + Int(CounterRandom(seed: seed).unit(stream: 10, counter: UInt64(index)) * 1000)
            }
            (recipes[index].captured, recipes[index].subSeconds) = Self.clock(tenths: tenths)
        }
        return recipes
    }

    /// The frames of a burst of `scene` (a good recipe): it, then its bad siblings.
    static func burst(of scene: SceneRecipe) -> [SceneRecipe] {
        var under = scene, shaken = scene, over = scene
        under.good = false; under.defects = [.underexposed]; under.exposure = 0.45; under.pan = 0.02
        shaken.good = false; shaken.defects = [.shaken]; shaken.shake = 0.02; shaken.pan = -0.01
        over.good = false; over.defects = [.overexposed]; over.exposure = 2.0; over.pan = 0.01
        return [scene, under, shaken, over]
    }

    /// EXIF text of the time `tenths` tenths of a second after 2017-06-01 09:00:00.
    static func clock(tenths: Int) -> (String, String) {
        let start = 1_496_307_600  // 2017-06-01 09:00:00 UTC
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(start + tenths / 10))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let text = String(format: "%04d:%02d:%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return (text, String(tenths % 10))
    }

    /// File path of photo `index`, relative to the output folder.
    public static func relativePath(index: Int, recipe: SceneRecipe) -> String {
        "\(recipe.good ? "good" : "bad")/IMG_\(String(format: "%04d", 1000 + index)).jpg"
    }

    /// Writes every photo that is not already there (atomically, so an
    /// interrupted run resumes cleanly). Returns the number written.
    @discardableResult
    public func write(into folder: URL, context: StageContext) throws -> Int {
        let recipes = recipes()
        let bar = context.progress("samples", total: recipes.count, unit: "photos")
        let results: [Result<Bool, Error>] = parallelMap(count: recipes.count, threads: resolvedThreadCount(threads)) { index in
            defer { bar.advance() }
            let url = folder.appendingPathComponent(Self.relativePath(index: index, recipe: recipes[index]))
            if FileManager.default.fileExists(atPath: url.path) { return .success(false) }
            return Result { try AtomicFile.write(Self.encode(recipes[index]), to: url); return true }
        }
        bar.finish()
        var written = 0
        for result in results { if try result.get() { written += 1 } }
        return written
    }

    /// The photo as a camera would write it: JPEG, with the pixels stored
    /// rotated to match its EXIF orientation tag.
    public static func encode(_ recipe: SceneRecipe) throws -> Data {
        let upright = try SceneRenderer(recipe: recipe).render()
        let turns: Int
        switch recipe.orientation {
        case 6: turns = 3  // viewer turns it clockwise, so it is stored turned anticlockwise
        case 8: turns = 1
        case 3: turns = 2
        default: turns = 0
        }
        let stored = try ImageOps.rotate(upright, clockwiseQuarterTurns: turns)
        let clock = recipe.captured.map { CameraClock(dateTime: $0, subSeconds: recipe.subSeconds) }
        return try PhotoEncoder.encode(stored, as: .jpeg, quality: 90,
                                       orientation: recipe.orientation == 1 ? nil : recipe.orientation, clock: clock)
    }

    /// The upright pixels of a photo, as rendered (for tests and inspection).
    public static func render(_ recipe: SceneRecipe) throws -> RGBImage {
        try SceneRenderer(recipe: recipe).render()
    }
}
