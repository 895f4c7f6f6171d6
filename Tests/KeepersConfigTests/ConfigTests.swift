import KeepersCore
import Foundation
import Testing
@testable import KeepersConfig

@Suite struct ConfigTests {
    func parse(_ text: String) throws -> PipelineConfig {
        try PipelineConfig.parse(text, file: "test.yaml", name: "test")
    }

    @Test func emptyFileGivesTheSeedDefaults() throws {
        let config = try parse("")
        #expect(config.ingest.image.width == 480)
        #expect(config.train.batchSize == 4)
        #expect(config.train.steps == 2_000)
        #expect(config.model.layers.map(\.filters) == [16, 32, 32, 48, 48])
        #expect(config.ingest.oversample == .balance)
    }

    @Test func shippedConfigsParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let defaults = try PipelineConfig.load(from: root.appendingPathComponent("configs/default.yaml"))
        #expect(defaults.name == "default")
        // default.yaml spells out the code defaults, and turns fault pretraining
        // and the pretrained backbone on (off in code, so that small runs and
        // the tests do not pay for them).
        var expected = PipelineConfig(name: "default", photos: "photos/sample")
        expected.train.pretrainSteps = 1000
        expected.model.backbone = BackboneSettings()
        expected.ingest.backbone = BackboneSettings.efficientNetLite0
        #expect(defaults == expected)
        let demo = try PipelineConfig.load(from: root.appendingPathComponent("configs/demo.yaml"))
        #expect(demo.name == "demo")
        #expect(demo.ingest.image.width < 480)
    }

    @Test func unknownKeyNamesFileAndKey() {
        #expect {
            _ = try parse("train:\n  stesp: 10\n")
        } throws: { error in
            let text = "\(error)"
            return text.contains("test.yaml") && text.contains("train.stesp") && text.contains("unknown key")
        }
    }

    @Test func wrongTypeSaysWhatWasExpected() {
        #expect {
            _ = try parse("train:\n  steps: many\n")
        } throws: { error in
            "\(error)" == "test.yaml: train.steps: expected an integer in 1...100000000, got 'many'"
        }
    }

    @Test func outOfRangeValuesAreRefused() {
        #expect(throws: ConfigError.self) { _ = try parse("ingest:\n  width: 0\n") }
        #expect(throws: ConfigError.self) { _ = try parse("ingest:\n  split: {train: 0.5, val: 0.1, test: 0.1}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("ingest:\n  positive: great\n") }
        #expect(throws: ConfigError.self) { _ = try parse("ingest:\n  background: [1, 2]\n") }
        #expect(throws: ConfigError.self) { _ = try parse("train:\n  optimizer: rmsprop\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  layers:\n    - {filters: 8, pol: true}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("- a\n- b\n") }
    }

    /// Class folders are names directly under the photos folder.
    @Test func classNamesThatAreNotFolderNamesAreRefused() throws {
        for bad in [#"[".", bad]"#, #"[good, ".."]"#, #"["go\tod", bad]"#, #"["a\u0007", bad]"#, #"[good, "b/c"]"#] {
            #expect(throws: ConfigError.self, "\(bad)") { _ = try parse("ingest:\n  classes: \(bad)\n") }
        }
        #expect(try parse("ingest:\n  classes: [\"...\", \"b c\"]\n  positive: \"...\"\n").ingest.classes == ["...", "b c"])
        #expect(try parse("ingest:\n  max_file_bytes: 5000\n").ingest.maxFileBytes == 5000)
    }

    @Test func trainingRecipeHeadAndFoldKeysParse() throws {
        let config = try parse("""
            ingest: {folds: 5, fold: 4}
            model: {pooling: average, statistics: false, hidden: 0, flip_average: true}
            train: {schedule: constant, warmup_steps: 0, weight_decay: 0, translate: 8, ema: 0, selection: best, selection_window: 5, dropout: 0.25}
            """)
        #expect(config.ingest.folds == 5 && config.ingest.fold == 4)
        #expect(config.model.pooling == .average && !config.model.statistics && config.model.flipAverage)
        #expect(config.train.schedule == .constant && config.train.warmupSteps == 0 && config.train.weightDecay == 0)
        #expect(config.train.translate == 8 && config.train.ema == 0 && config.train.selection == .best)
        #expect(config.train.selectionWindow == 5 && config.train.dropout == 0.25 && config.model.hidden == 0)
        #expect(throws: ConfigError.self) { _ = try parse("ingest: {folds: 5, fold: 5}") }
        #expect(throws: ConfigError.self) { _ = try parse("model: {pooling: median}") }
        #expect(throws: ConfigError.self) { _ = try parse("train: {ema: 1}") }
    }

    @Test func statisticsModelsPretrainingAndWholeFoldersParse() throws {
        let config = try parse("""
            ingest:
              groups: {whole_folders: true}
            model:
              additive: {knots: 7, c: 0.03, cross_fit: 3}
              trees: {iterations: 50, min_leaf: 5}
            train:
              pretrain_steps: 400
            """)
        #expect(config.ingest.groups.wholeFolders)
        #expect(config.model.additive?.knots == 7 && config.model.additive?.c == 0.03 && config.model.additive?.crossFit == 3)
        #expect(config.model.trees?.iterations == 50 && config.model.trees?.minLeaf == 5 && config.model.trees?.maxLeaves == 31)
        #expect(config.train.pretrainSteps == 400)
        // Absent: the additive model on, trees off; `none` switches either off; no statistics, no additive model.
        #expect(try parse("").model.additive == AdditiveSettings() && parse("").model.trees == nil)
        #expect(try parse("model:\n  additive: none\n").model.additive == nil)
        #expect(try parse("model:\n  statistics: false\n").model.additive == nil)
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  statistics: false\n  trees: {iterations: 5}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  statistics: false\n  additive: {c: 1}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  additive: {knot: 5}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  trees: yes\n") }
        #expect(throws: ConfigError.self) { _ = try parse("train:\n  batch_size: 1\n  pretrain_steps: 10\n") }
    }

    @Test func backboneParsesAsNameOrMappingAndReachesIngest() throws {
        #expect(try parse("").model.backbone == nil && parse("model:\n  backbone: none\n").model.backbone == nil && parse("").ingest.backbone == nil)
        let named = try parse("model:\n  backbone: efficientnet-lite0\n")
        #expect(named.model.backbone == BackboneSettings())
        #expect(named.ingest.backbone == "efficientnet-lite0")
        let mapped = try parse("model:\n  backbone: {name: efficientnet-lite0, c: 0.003, cross_fit: 3}\n")
        #expect(mapped.model.backbone?.c == 0.003 && mapped.model.backbone?.crossFit == 3)
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  backbone: resnet50\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  backbone: {name: vgg}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  backbone: {c: 0}\n") }
        #expect(throws: ConfigError.self) { _ = try parse("model:\n  backbone: {weights: x}\n") }
    }

    @Test func ratingLabelAndRawPairKeysParse() throws {
        let config = try parse("ingest: {labels: xmp-rating, rating_good: 5, rating_bad: 3, raw_jpeg_pair: jpeg}")
        #expect(config.ingest.labels == .xmpRating && config.ingest.rawJpegPair == .jpeg)
        #expect(config.ingest.ratingGood == 5 && config.ingest.ratingBad == 3)
        #expect(try parse("").ingest.labels == .folders)
        #expect(throws: ConfigError.self) { _ = try parse("ingest: {labels: stars}") }
        #expect(throws: ConfigError.self) { _ = try parse("ingest: {rating_good: 3, rating_bad: 3}") }
        #expect(throws: ConfigError.self) { _ = try parse("ingest: {raw_jpeg_pair: both}") }
    }

    @Test func oversampleAcceptsAFactor() throws {
        #expect(try parse("ingest:\n  oversample: 3\n").ingest.oversample == .factor(3))
        #expect(try parse("ingest:\n  oversample: none\n").ingest.oversample == PipelineConfig.Oversample_none)
    }

    @Test func sectionStampsChangeOnlyWithTheirSection() throws {
        let base = try parse("")
        let trainChanged = try parse("train:\n  steps: 5\n")
        #expect(try base.sectionJSON("ingest") == trainChanged.sectionJSON("ingest"))
        #expect(try base.sectionJSON("shard") == trainChanged.sectionJSON("shard"))
        #expect(try base.sectionJSON("train") != trainChanged.sectionJSON("train"))
    }
}

extension PipelineConfig {
    static let Oversample_none = Oversample.none
}
