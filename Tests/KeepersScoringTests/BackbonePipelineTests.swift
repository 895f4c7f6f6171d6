import Foundation
import KeepersBackbone
import KeepersConfig
import KeepersCore
import KeepersImaging
import KeepersIngest
import KeepersNetwork
import KeepersShards
import KeepersTestSupport
import KeepersModel
import KeepersTraining
import Testing
@testable import KeepersScoring

/// `model.backbone` end to end on the library calls the stages make: ingest
/// computes each stored image's features once, the shards carry them, the
/// trainer fits the backbone's model and model.h5 records which weights made
/// the features, and predict (computing features itself) scores every photo
/// as the report (reading them from the shards) does.
@Suite(.serialized) struct BackbonePipelineTests {
    static func photos(in folder: URL) throws {
        for i in 0..<24 {
            var image = Fixtures.scene(seed: i, width: 96 + 16 * (i % 2), height: 64, gain: i % 3 == 0 ? 1 : 0.55)
            image[i, 3] = (UInt8(i * 9), 200, UInt8(255 - i))
            let url = folder.appendingPathComponent("\(i % 3 == 0 ? "good" : "bad")/p\(i).jpg")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try PhotoEncoder.encode(image, as: .jpeg).write(to: url)
        }
    }

    @Test func featuresFlowFromIngestToPredict() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-backbone")
        let photos = temp.url.appendingPathComponent("photos")
        try Self.photos(in: photos)
        var config = PipelineConfig(name: "t", photos: photos.path)
        config.ingest.image.width = 64
        config.ingest.threads = 2
        config.ingest.split = { var s = SplitFractions(); s.train = 0.5; s.val = 0.2; s.test = 0.3; return s }()
        config.model.layers = [ConvLayerSpec(filters: 4, pool: true), ConvLayerSpec(filters: 6, pool: false)]
        config.model.backbone = BackboneSettings()
        config.model.backbone!.crossFit = 2
        config.ingest.backbone = config.model.backbone!.name
        config.train.steps = 6
        config.train.evalEvery = 3
        config.train.threads = 2
        let layout = WorkLayout(root: temp.url.appendingPathComponent("work/t"))

        try Ingestor(photos: photos, layout: layout, settings: config.ingest, context: .quiet).run()
        let manifest = try JSONLines.read(ManifestEntry.self, from: layout.manifest)
        #expect(manifest.count == 24)
        let featureFile = layout.storedFeatures(id: manifest[0].id)
        let first = try NumpyFile(data: try Data(contentsOf: featureFile), path: featureFile.path)
        #expect(first.shape == [1280] && first.values.contains { $0 != 0 })
        for entry in manifest { #expect(FileManager.default.fileExists(atPath: layout.storedFeatures(id: entry.id).path)) }
        // A second run computes nothing again: the files are untouched.
        let written = try FileManager.default.attributesOfItem(atPath: featureFile.path)[.modificationDate] as? Date
        try Ingestor(photos: photos, layout: layout, settings: config.ingest, context: .quiet).run()
        #expect(try FileManager.default.attributesOfItem(atPath: featureFile.path)[.modificationDate] as? Date == written)

        _ = try ShardBuilder.build(ingest: config.ingest, shard: config.shard, layout: layout, context: .quiet)
        let reader = try ShardReader(layout: layout)
        let key = try BackboneWeightsFile.load(name: BackboneSettings.efficientNetLite0, threads: 1).identity.key
        #expect(reader.index.backbone == key)
        let bucketFeatures = try reader.features(bucket: 0)
        #expect(bucketFeatures.width == 1280 && bucketFeatures.rows.count == 1280 * reader.buckets[0].count)

        _ = try Trainer(model: config.model, train: config.train, ingest: config.ingest, layout: layout, options: TrainOptions(), context: .quiet).run()
        let (network, metadata) = try ModelFile.load(layout.model, threads: 1)
        #expect(metadata.backbone == key)
        let model = try #require(network.backbone)
        #expect(model.features == 1280 && model.weights.contains { $0 != 0 })

        let reportScores = try SplitScorer(network: network, reader: reader).score(split: .test)
        #expect(reportScores.count >= 5)
        let backbone = try PredictRun.backbone(for: metadata, model: layout.model, threads: 2)
        let predictor = try Predictor(network: network, imageSettings: metadata.preprocessing, maxPixels: metadata.maxPixels,
                                      threads: 2, backbone: backbone)
        let byPath = Dictionary(uniqueKeysWithValues: try predictor.score(manifest.map { photos.appendingPathComponent($0.source) },
                                                                          context: .quiet).map { ($0.path, $0.score) })
        for score in reportScores {
            let entry = try #require(manifest.first { $0.id == score.id })
            let predicted = try #require(byPath[photos.appendingPathComponent(entry.source).path] ?? nil)
            #expect(abs(predicted - score.probability) < 1e-5, "\(entry.source): predict \(predicted), report \(score.probability)")
        }
        #expect(Set(reportScores.map(\.probability)).count > 1)

        // A model whose features came from other weights is refused, naming both.
        var other = metadata
        other.backbone = "efficientnet-lite0-000000000000"
        #expect {
            try PredictRun.backbone(for: other, model: layout.model, threads: 1)
        } throws: { "\($0)".contains("efficientnet-lite0-000000000000") && "\($0)".contains(key) }
        #expect(throws: KeepersError.self) { try Predictor(network: network, imageSettings: metadata.preprocessing,
                                                           maxPixels: metadata.maxPixels, threads: 1) }
    }
}
