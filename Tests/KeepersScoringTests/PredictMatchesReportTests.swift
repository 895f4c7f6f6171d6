import Foundation
import KeepersConfig
import KeepersCore
import KeepersImaging
import KeepersIngest
import KeepersNetwork
import KeepersShards
import KeepersTestSupport
import KeepersModel
import Testing
@testable import KeepersScoring

/// predict scores photo files, the report scores the shards ingest made from
/// them: the same photo must get the same score either way.
@Suite struct PredictMatchesReportTests {
    @Test func aPhotoScoresTheSameInPredictAndInTheReport() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-scoring")
        let photos = temp.url.appendingPathComponent("photos")
        for i in 0..<24 {
            var image = Fixtures.redOverBlue(width: 180 + 20 * (i % 3), height: 120)
            image[i, 3] = (UInt8(i * 9), 200, UInt8(255 - i))
            let data = try PhotoEncoder.encode(image, as: i % 2 == 0 ? .jpeg : .png)
            let url = photos.appendingPathComponent("\(i % 3 == 0 ? "good" : "bad")/p\(i).\(i % 2 == 0 ? "jpg" : "png")")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        var config = PipelineConfig(name: "t", photos: photos.path)
        config.ingest.image.width = 48
        config.ingest.threads = 2
        config.ingest.split = { var s = SplitFractions(); s.train = 0.2; s.val = 0.1; s.test = 0.7; return s }()
        config.model.layers = [ConvLayerSpec(filters: 4, pool: true), ConvLayerSpec(filters: 6, pool: false)]
        let layout = WorkLayout(root: temp.url.appendingPathComponent("work/t"))
        try Ingestor(photos: photos, layout: layout, settings: config.ingest, context: .quiet).run()
        _ = try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)

        let trained = try Network(model: config.model, seed: 5, threads: 1)
        var metadata = ModelMetadata(model: config.model, step: 0, trainedSteps: 0, valAUC: nil,
                                     parameterCount: trained.parameterCount, positiveClass: "good", negativeClass: "bad")
        metadata.preprocessing = config.ingest.image
        let normalisation = try StatisticsNormalisation(trainingImagesOf: ShardReader(layout: layout))
        // The default model of the statistics, hand-made, so that both paths score it too.
        var knots: [Float] = [], coefficients: [Float] = []
        for _ in 0..<ImageStatistics.count { knots += (0..<11).map { Float($0 - 5) * 0.6 } }
        for i in 0..<(ImageStatistics.count * 7) { coefficients.append(Float((i * 29) % 13 - 6) / 10) }
        let additive = try AdditiveLogistic(features: ImageStatistics.count, knots: knots, coefficients: coefficients, intercept: 0.2)
        try ModelFile.write(trained.parameterTensors(), metadata: metadata, statistics: normalisation, additive: additive,
                            to: layout.model)

        let (network, loaded) = try ModelFile.load(layout.model, threads: 1)
        #expect(loaded.preprocessing == config.ingest.image)
        #expect(network.additive == additive)
        let reportScores = try SplitScorer(network: network, reader: ShardReader(layout: layout)).score(split: .test)
        #expect(reportScores.count >= 8)
        let predictor = try Predictor(network: network, imageSettings: loaded.preprocessing, maxPixels: loaded.maxPixels, threads: 2)
        let manifest = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        let files = manifest.map { photos.appendingPathComponent($0.source) }
        let predictions = try predictor.score(files, context: .quiet)
        let byPath = Dictionary(uniqueKeysWithValues: predictions.map { ($0.path, $0.score) })
        for score in reportScores {
            let entry = try #require(manifest.first { $0.id == score.id })
            let predicted = try #require(byPath[photos.appendingPathComponent(entry.source).path] ?? nil)
            #expect(abs(predicted - score.probability) < 1e-6, "\(entry.source): predict \(predicted), report \(score.probability)")
        }
        // Scores vary from photo to photo: the comparison above is not trivially equal.
        #expect(Set(reportScores.map(\.probability)).count > 1)
    }
}
