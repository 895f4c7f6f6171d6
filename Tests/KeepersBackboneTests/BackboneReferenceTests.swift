import Foundation
import KeepersBackbone
import KeepersCore
import KeepersImaging
import KeepersTestSupport
import Testing

/// EfficientNet-Lite0 on oneDNN against an independent NumPy forward pass
/// (tools/backbone/reference.py), which reads the original PyTorch weights
/// and applies every batch norm itself, so the conversion is checked too.
/// Real photographs through Keepers' own preprocessing (480 px wide), as
/// ingest and predict feed the backbone. The set-up (`make deps`) fetches
/// the weights; without them this test fails, naming what to run.
@Suite(.serialized) struct BackboneReferenceTests {
    static let name = "efficientnet-lite0"

    @Test(arguments: ["chelsea", "coffee"])
    func featuresAndTopClassesMatchTheReference(photo: String) throws {
        let backbone = try BackboneWeightsFile.load(name: Self.name, threads: 2)
        let preprocessor = try PhotoPreprocessor(settings: ImageSettings(), maxPixels: 50_000_000)
        let image = try preprocessor.process(try Data(contentsOf: try RawFixtures.photo(photo)))
        #expect(image.width == 480)

        let features = try backbone.features(pixels: image.pixels, height: image.height, width: image.width)
        let logits = try backbone.classLogits(features: features)
        let reference = try Self.reference(image)

        #expect(features.count == 1280 && reference.features.count == 1280)
        let scale = reference.features.map(abs).max()!
        let worst = zip(features, reference.features).map { abs($0 - $1) }.max()!
        #expect(scale > 0.1)
        #expect(worst <= 1e-3 * scale, "features differ by \(worst) (largest \(scale))")
        let top5 = Self.top(5, logits), referenceTop5 = Self.top(5, reference.logits)
        #expect(top5.first == referenceTop5.first)
        #expect(Set(top5) == Set(referenceTop5), "top-5 \(top5) against the reference's \(referenceTop5)")
        if photo == "chelsea" {
            // ImageNet's domestic cats are classes 281-285: the preprocessing is the model's own.
            #expect(281...285 ~= top5[0], "chelsea, a tabby, classed as \(top5)")
        }
    }

    @Test func missingWeightsSayHowToGetThem() throws {
        let empty = try TemporaryDirectory()
        #expect {
            try BackboneWeightsFile.load(name: Self.name, threads: 1, environment: ["KEEPERS_CACHE": empty.url.path])
        } throws: { error in
            "\(error)".contains("make weights") && "\(error)".contains(empty.url.path)
        }
        let bogus = empty.url.appendingPathComponent("\(Self.name)/\(Self.name).h5")
        try FileManager.default.createDirectory(at: bogus.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not hdf5".utf8).write(to: bogus)
        #expect {
            try BackboneWeightsFile.load(name: Self.name, threads: 1, environment: ["KEEPERS_CACHE": empty.url.path])
        } throws: { error in
            "\(error)".contains("not a usable backbone weights file")
        }
    }

    static func top(_ k: Int, _ values: [Float]) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] }.prefix(k))
    }

    /// Runs the NumPy reference on `image`'s pixels.
    static func reference(_ image: RGBImage) throws -> (features: [Float], logits: [Float]) {
        let folder = try TemporaryDirectory()
        let input = folder.url.appendingPathComponent("input.npy"), output = folder.url.appendingPathComponent("out.npz")
        try NumpyFile.float32(image.pixels.map(Float.init), shape: [1, image.height, image.width, 3]).data.write(to: input)
        let weights = BackboneFiles.cacheFolder().appendingPathComponent("\(name)/efficientnet-lite0-57934424.pth")
        let script = RawFixtures.repository.appendingPathComponent("tools/backbone/reference.py").path
        let python = try Python.withH5py() ?? { throw FixtureError(description: Python.missingMessage) }()
        let run = try Python.run(python, [script, "--pth", weights.path, "--input", input.path, "--out", output.path])
        guard run.status == 0 else { throw FixtureError(description: "reference.py failed: \(run.output)") }
        let dump = try Python.run(python, ["-c", """
            import numpy as np, sys
            d = np.load(sys.argv[1])
            print(" ".join(repr(float(v)) for v in d["features"][0]))
            print(" ".join(repr(float(v)) for v in d["logits"][0]))
            """, output.path])
        guard dump.status == 0 else { throw FixtureError(description: "reading the reference failed: \(dump.output)") }
        let lines = dump.output.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float($0) } }
        return (lines[0], lines[1])
    }
}
