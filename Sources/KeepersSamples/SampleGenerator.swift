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

    public init() {}

    public func recipes() -> [SceneRecipe] {
        let goodCount = Int((Double(count) * goodFraction).rounded())
        // Spread good frames over the index range so that file numbers and
        // orientations do not cluster by class.
        let order = (0..<count).sorted {
            CounterRandom(seed: seed).bits(stream: 9, counter: UInt64($0))
                < CounterRandom(seed: seed).bits(stream: 9, counter: UInt64($1))
        }
        let goodIndices = Set(order.prefix(goodCount))
        return (0..<count).map { index in
            var recipe = SceneRecipe.draw(index: index, good: goodIndices.contains(index), seed: seed, sizeScale: sizeScale)
            if let fixedSize { (recipe.width, recipe.height) = fixedSize }
            return recipe
        }
    }

    /// File path of photo `index`, relative to the output folder.
    public static func relativePath(index: Int, recipe: SceneRecipe) -> String {
        "\(recipe.good ? "good" : "bad")/IMG_\(String(format: "%04d", 1000 + index)).jpg"
    }

    /// Writes every photo that is not already there (atomically, so an
    /// interrupted run resumes cleanly). Returns the number written.
    @discardableResult
    public func write(into folder: URL, progress: Bool = true) throws -> Int {
        let recipes = recipes()
        let bar = Progress("samples", total: recipes.count, unit: "photos", isTerminal: progress && isatty(STDERR_FILENO) != 0)
        let results: [Result<Bool, Error>] = parallelMap(count: recipes.count, threads: resolvedThreadCount(threads)) { index in
            defer { bar.advance() }
            let url = folder.appendingPathComponent(Self.relativePath(index: index, recipe: recipes[index]))
            if FileManager.default.fileExists(atPath: url.path) { return .success(false) }
            return Result { try AtomicFile.write(Self.encode(recipes[index]), to: url); return true }
        }
        if progress { bar.finish() }
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
        return try PhotoEncoder.encode(stored, as: .jpeg, quality: 90,
                                       orientation: recipe.orientation == 1 ? nil : recipe.orientation)
    }

    /// The upright pixels of a photo, as rendered (for tests and inspection).
    public static func render(_ recipe: SceneRecipe) throws -> RGBImage {
        try SceneRenderer(recipe: recipe).render()
    }
}
