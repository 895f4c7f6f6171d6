import Foundation
import KeepersCore
import KeepersHDF5
import KeepersShards
import KeepersTestSupport
import Testing
@testable import KeepersModel
@testable import KeepersNetwork
@testable import KeepersTraining

@Suite struct ModelFileTests {
    static func smallModel() -> ModelSettings {
        var model = ModelSettings()
        model.layers = [ConvLayerSpec(filters: 4, pool: true), ConvLayerSpec(filters: 5, pool: false),
                        ConvLayerSpec(filters: 3, pool: true)]
        model.flipAverage = true  // so the NumPy example's mirror path is checked too
        model.additive = nil  // the tests that want a model of the statistics add one
        return model
    }

    /// A standardisation far from the identity, so a loader that ignores it is caught.
    static let normalisation = StatisticsNormalisation(
        mean: (0..<ImageStatistics.count).map { Float($0) * 3 }, std: (0..<ImageStatistics.count).map { 2 + Float($0) })

    static func metadata(_ network: Network) -> ModelMetadata {
        ModelMetadata(model: smallModel(), step: 40, trainedSteps: 60, valAUC: 0.875, parameterCount: network.parameterCount,
                      positiveClass: "good", negativeClass: "bad")
    }

    /// Two trees over the standardised statistics: a stump, and a split whose left child splits again.
    static func handMadeTrees() throws -> BoostedTrees {
        let leaf = { (value: Float) in BoostedTrees.Node(feature: -1, threshold: 0, left: -1, right: -1, value: value) }
        return try BoostedTrees(features: ImageStatistics.count, baseLogit: 0.25, nodes: [
            BoostedTrees.Node(feature: 4, threshold: 0.1, left: 1, right: 2, value: 0), leaf(-0.5), leaf(0.75),
            BoostedTrees.Node(feature: 0, threshold: -3, left: 4, right: 7, value: 0),
            BoostedTrees.Node(feature: 20, threshold: 0.2, left: 5, right: 6, value: 0), leaf(1.5), leaf(-2), leaf(0.125),
        ], roots: [0, 3])
    }

    /// Knots around the standardised range, coefficients that differ per statistic and basis.
    static func handMadeAdditive() throws -> AdditiveLogistic {
        let k = ImageStatistics.count
        var knots: [Float] = [], coefficients: [Float] = []
        for f in 0..<k {
            let spacing = 0.5 + Float(f % 3) * 0.25
            for j in 0..<11 { knots.append(Float(j - 5) * spacing) }
        }
        for i in 0..<(k * 7) { coefficients.append(Float((i * 37) % 11 - 5) / 20) }
        return try AdditiveLogistic(features: k, knots: knots, coefficients: coefficients, intercept: -0.3)
    }

    @Test func statisticsModelsRoundTripAndAddToTheLogit() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("model.h5")
        var model = Self.smallModel()
        model.trees = TreeSettings()
        model.additive = AdditiveSettings()
        let network = try Network(model: model, seed: 3, threads: 1)
        network.statisticsNormalisation = Self.normalisation
        var metadata = Self.metadata(network)
        metadata.model = model
        try ModelFile.write(network.parameterTensors(), metadata: metadata, statistics: Self.normalisation,
                            trees: try Self.handMadeTrees(), additive: try Self.handMadeAdditive(), to: url)
        let (loaded, loadedMetadata) = try ModelFile.load(url, threads: 1)
        #expect(loadedMetadata.model.trees == TreeSettings() && loadedMetadata.model.additive == AdditiveSettings())
        #expect(loaded.trees == (try Self.handMadeTrees()))
        #expect(loaded.additive == (try Self.handMadeAdditive()))
        // The same network without them scores each image lower by exactly their logits.
        let (h, w) = (16, 24)
        var random = SequentialRandom(seed: 9)
        let input = (0..<(2 * 3 * h * w)).map { _ in Float(random.unit()) - 0.5 }
        let with = try loaded.predictLogits(input: input, batch: 2, height: h, width: w)
        let without = try network.predictLogits(input: input, batch: 2, height: h, width: w)
        let plane = 3 * h * w
        for b in 0..<2 {
            let statistics = input.withUnsafeBufferPointer {
                Self.normalisation.apply(ImageStatistics.compute($0.baseAddress! + b * plane, height: h, width: w))
            }
            let expected = try Self.handMadeTrees().logit(ArraySlice(statistics)) + Self.handMadeAdditive().logit(ArraySlice(statistics))
            #expect(abs(with[b] - without[b] - expected) < 1e-5)
        }
    }

    @Test func writeThenLoadGivesTheSameNetworkAndMetadata() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("model.h5")
        let network = try Network(model: Self.smallModel(), seed: 3, threads: 1)
        try ModelFile.write(network.parameterTensors(), metadata: Self.metadata(network), statistics: Self.normalisation,
                            to: url)

        let (loaded, metadata) = try ModelFile.load(url, threads: 1)
        #expect(metadata == Self.metadata(network))
        #expect(loaded.flatParameters.map(\.bitPattern) == network.flatParameters.map(\.bitPattern))
        #expect(loaded.statisticsNormalisation == Self.normalisation)
        let file = try HDF5File.open(at: url)
        #expect(try file.memberNames() == ["conv1", "conv2", "conv3", "dense", "hidden", "statistics"])
        #expect(try file.group("conv2").dataset("kernel").shape == [5, 4, 3, 3])
        #expect(try file.group("hidden").dataset("kernel").shape == [32, 3 + 3 + ImageStatistics.count])
        #expect(try file.group("dense").dataset("kernel").shape == [1, 32])
        #expect(try file.group("statistics").dataset("std").shape == [ImageStatistics.count])
        #expect(try file.stringAttribute("architecture")
                == #"{"flipAverage":true,"hidden":32,"layers":[{"filters":4,"pool":true},{"filters":5,"pool":false},{"filters":3,"pool":true}],"pooling":"average+max","statistics":true}"#)
    }

    /// The good photos' statistics (group good_statistics) round-trip, read
    /// from h5py as docs/model.md says; a file without the group (older
    /// Keepers) loads with none.
    @Test func goodStatisticsRoundTripAndAreOptional() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("model.h5")
        let network = try Network(model: Self.smallModel(), seed: 3, threads: 1)
        var metadata = Self.metadata(network)
        let good = GoodStatistics(median: (0..<ImageStatistics.count).map { Float($0) / 4 },
                                  spread: (0..<ImageStatistics.count).map { 0.5 + Float($0) }, count: 17)
        metadata.goodStatistics = good
        try ModelFile.write(network.parameterTensors(), metadata: metadata, statistics: Self.normalisation, to: url)
        #expect(try ModelFile.load(url, threads: 1).1.goodStatistics == good)
        let python = try #require(Python.withH5py(), "\(Python.missingMessage)")
        let script = """
            import sys, h5py
            with h5py.File(sys.argv[1], "r") as f:
                g = f["good_statistics"]
                print(g["median"].shape, float(g["median"][4]), float(g["spread"][24]), int(g.attrs["count"]))
            """
        let run = try Python.run(python, ["-c", script, url.path])
        #expect(run.status == 0 && run.output == "(25,) 1.0 24.5 17\n", "\(run.output)")

        let old = dir.url.appendingPathComponent("old.h5")
        try ModelFile.write(network.parameterTensors(), metadata: Self.metadata(network), statistics: Self.normalisation, to: old)
        #expect(try ModelFile.load(old, threads: 1).1.goodStatistics == nil)
    }

    /// The median and spread of the good photos: a constant statistic takes a
    /// quarter of its spread over all photos, so it cannot divide by zero.
    @Test func goodStatisticsAreTheMedianAndARobustSpread() throws {
        let k = ImageStatistics.count
        let samples: [[Float]] = [1, 2, 3, 4, 100].map { v in (0..<k).map { $0 == 13 ? 0 : v } }
        let good = try #require(GoodStatistics(good: samples, floor: [Float](repeating: 2, count: k)))
        #expect(good.median[0] == 3 && good.median[13] == 0)
        #expect(abs(good.spread[0] - 1.4826) < 1e-5)  // deviations 2, 1, 0, 1, 97: median 1
        #expect(good.spread[13] == 0.5)
        #expect(GoodStatistics(good: [], floor: [Float](repeating: 1, count: k)) == nil)
    }

    /// A model file from before the head options holds only `layers`: it is
    /// the seed's network, and loads as such.
    @Test func anArchitectureWithOnlyLayersIsTheSeedsHead() throws {
        let old = #"{"layers":[{"filters":4,"pool":true}]}"#
        let model = try JSONDecoder().decode(ModelSettings.self, from: Data(old.utf8))
        #expect(model.pooling == .average && !model.statistics && !model.flipAverage && model.hidden == 0)
        #expect(model.layers == [ConvLayerSpec(filters: 4, pool: true)])
    }

    @Test func aModelWithStatisticsButNoStandardisationIsRefused() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("model.h5")
        let network = try Network(model: Self.smallModel(), seed: 3, threads: 1)
        try ModelFile.write(network.parameterTensors(), metadata: Self.metadata(network), to: url)
        #expect(throws: (any Error).self) { try ModelFile.load(url, threads: 1) }
    }

    @Test func loadRefusesWeightsThatDoNotFitTheArchitecture() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("model.h5")
        let network = try Network(model: Self.smallModel(), seed: 3, threads: 1)
        var metadata = Self.metadata(network)
        metadata.model.layers[1].filters = 6
        try ModelFile.write(network.parameterTensors(), metadata: metadata, statistics: Self.normalisation, to: url)
        #expect(throws: KeepersError.format(path: url.path, reason: "conv2/kernel has shape [5, 4, 3, 3]; the architecture needs [6, 4, 3, 3]")) {
            try ModelFile.load(url, threads: 1)
        }
    }

    /// The NumPy example of docs/model.md recomputes Swift's logit for the
    /// first image of a shard, from model.h5 alone.
    @Test(arguments: [false, true])
    func documentedNumpyForwardMatchesPredictLogits(withStatisticsModels: Bool) throws {
        let python = try #require(Python.withH5py(), "\(Python.missingMessage)")
        let fixture = try TrainFixture()
        let url = fixture.layout.model
        var model = Self.smallModel()
        model.trees = withStatisticsModels ? TreeSettings() : nil
        model.additive = withStatisticsModels ? AdditiveSettings() : nil
        let network = try Network(model: model, seed: 5, threads: 1)
        network.trees = withStatisticsModels ? try Self.handMadeTrees() : nil
        network.additive = withStatisticsModels ? try Self.handMadeAdditive() : nil
        var metadata = Self.metadata(network)
        metadata.model = model
        try ModelFile.write(network.parameterTensors(), metadata: metadata, statistics: Self.normalisation,
                            trees: network.trees, additive: network.additive, to: url)
        let reader = try ShardReader(layout: fixture.layout)
        let bucket = reader.buckets[0]
        var input = [Float](repeating: 0, count: bucket.imageElements)
        try input.withUnsafeMutableBufferPointer { try reader.readNormalised(bucket: 0, image: 0, flip: false, into: $0) }
        let (loaded, _) = try ModelFile.load(url, threads: 1)
        let expected = try loaded.predictLogits(input: input, batch: 1, height: bucket.height, width: bucket.width)[0]

        let script = fixture.dir.url.appendingPathComponent("model_numpy.py")
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/model.md")
        try Python.firstBlock(inMarkdown: docs).write(to: script, atomically: true, encoding: .utf8)
        let shard = fixture.layout.shards.appendingPathComponent(bucket.record.files[0].name)
        let (status, output) = try Python.run(python, [script.path, url.path, shard.path])
        #expect(status == 0, "python failed:\n\(output)")
        let printed = try #require(output.split(separator: " ").dropFirst().first.flatMap { Double($0) }, "\(output)")
        #expect(abs(printed - Double(expected)) < 1e-4, "numpy \(printed), Swift \(expected)")
        #expect(abs(expected) > 1e-3, "a logit near 0 would make the comparison weak")
    }
}
