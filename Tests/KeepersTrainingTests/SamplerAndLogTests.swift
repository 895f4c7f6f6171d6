import Foundation
import KeepersConfig
import KeepersCore
import KeepersShards
import Testing
@testable import KeepersTraining

@Suite struct BatchSamplerTests {
    @Test func cumulativeWeightsPickInProportionAndNeverAZeroWeight() {
        let table = CumulativeWeights([1, 0, 3, 0])
        #expect(table.total == 4)
        #expect(table.index(at: 0) == 0)
        #expect(table.index(at: 0.2499) == 0)
        #expect(table.index(at: 0.25) == 2)
        #expect(table.index(at: 0.9999) == 2)
        var counts = [0, 0, 0, 0]
        var random = SequentialRandom(seed: 9)
        for _ in 0..<40_000 { counts[table.index(at: random.unit())] += 1 }
        #expect(counts[1] == 0 && counts[3] == 0)
        #expect(abs(Double(counts[2]) / 40_000 - 0.75) < 0.01)
    }

    @Test func batchIsAPureFunctionOfSeedAndStep() throws {
        let fixture = try TrainFixture()
        let reader = try ShardReader(layout: fixture.layout)
        let a = try BatchSampler(reader: reader, batchSize: 4, flip: true, seed: 1)
        let b = try BatchSampler(reader: reader, batchSize: 4, flip: true, seed: 1)
        let other = try BatchSampler(reader: reader, batchSize: 4, flip: true, seed: 2)
        // Out of order and repeated: no hidden sequence state.
        #expect((0..<50).reversed().map(a.batch) == (0..<50).reversed().map(b.batch))
        #expect(a.batch(step: 7) == a.batch(step: 7))
        #expect((0..<50).map(a.batch) != (0..<50).map(other.batch))
        for draw in (0..<50).map(a.batch) {
            #expect(reader.buckets[draw.bucket].split == .train)
            #expect(draw.images.allSatisfy { $0 < reader.buckets[draw.bucket].count })
        }
    }

    /// Buckets by weighted size, images by repeat: "good" (repeat 2) is drawn
    /// twice as often per image as "bad"; flips are half, or none when off.
    @Test func drawsFollowTheRepeatsAndFlipsHalf() throws {
        let fixture = try TrainFixture()
        let reader = try ShardReader(layout: fixture.layout)
        let sampler = try BatchSampler(reader: reader, batchSize: 4, flip: true, seed: 3)
        var bucketDraws: [Int: Int] = [:], good = 0, flips = 0
        let steps = 20_000
        for step in 0..<steps {
            let draw = sampler.batch(step: step)
            bucketDraws[draw.bucket, default: 0] += 1
            good += draw.images.filter { reader.buckets[draw.bucket].labels[$0] == 1 }.count
            flips += draw.flips.filter { $0 }.count
        }
        let train = reader.buckets.indices.filter { reader.buckets[$0].split == .train }
        let weights = train.map { reader.buckets[$0].repeats.reduce(0, +) }
        let total = weights.reduce(0, +)
        for (bucket, weight) in zip(train, weights) {
            let drawn = Double(bucketDraws[bucket] ?? 0) / Double(steps)
            #expect(abs(drawn - weight / total) < 0.015)
        }
        var goodWeight = 0.0
        for b in train {
            for (label, weight) in zip(reader.buckets[b].labels, reader.buckets[b].repeats) where label == 1 { goodWeight += weight }
        }
        let goodShare = Double(good) / Double(4 * steps)
        #expect(abs(goodShare - goodWeight / total) < 0.015)
        #expect(abs(Double(flips) / Double(4 * steps) - 0.5) < 0.01)
        let unflipped = try BatchSampler(reader: reader, batchSize: 4, flip: false, seed: 3)
        #expect((0..<100).allSatisfy { !unflipped.batch(step: $0).flips.contains(true) })
        #expect((0..<100).allSatisfy { unflipped.batch(step: $0).images == sampler.batch(step: $0).images })
    }
}

@Suite struct CheckpointFileTests {
    @Test func roundTripIsBitExactAndTheFingerprintsSurvive() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("step-00000007.h5")
        let checkpoint = Checkpoint(
            step: 7, identity: RunIdentity(settingsFingerprint: "abc", dataFingerprint: "def", threads: 2),
            parameters: [1.5, -0.0, .leastNonzeroMagnitude, 3], optimizerStep: 7, firstMoment: [0.1, 0.2, 0.3, 0.4],
            secondMoment: [1e-9, 2e-9, 3e-9, 4e-9], recentLosses: [0.7, 0.6], recentAccuracies: [0.5, 0.75],
            bestAUC: 0.8125, bestStep: 5, bestParameters: [1, 2, 3, 4], logLines: [#"{"step":5}"#])
        try checkpoint.write(to: url)
        let read = try Checkpoint.read(from: url)
        #expect(read == checkpoint)
        #expect(read.parameters.map(\.bitPattern) == checkpoint.parameters.map(\.bitPattern))

        var early = checkpoint
        (early.bestAUC, early.bestStep, early.bestParameters, early.secondMoment) = (nil, 0, [], [])
        try early.write(to: url)
        #expect(try Checkpoint.read(from: url) == early)
    }

    @Test func settingsFingerprintIgnoresOnlyWhatDoesNotChangeResults() throws {
        let fixture = try TrainFixture()
        let index = try ShardReader(layout: fixture.layout).index
        func fingerprint(_ change: (inout TrainSettings) -> Void) -> String {
            var train = TrainSettings()
            change(&train)
            return RunIdentity(model: ModelSettings(), train: train, index: index, threads: 1).settingsFingerprint
        }
        let base = fingerprint { _ in }
        #expect(fingerprint { $0.steps = 5 } == base)
        #expect(fingerprint { $0.checkpointEvery = 7 } == base)
        #expect(fingerprint { $0.keepCheckpoints = 9 } == base)
        #expect(fingerprint { $0.threads = 3 } == base)
        #expect(fingerprint { $0.learningRate = 0.01 } != base)
        #expect(fingerprint { $0.seed = 2 } != base)
        #expect(fingerprint { $0.evalEvery = 3 } != base)
        #expect(fingerprint { $0.flip = false } != base)
    }
}

@Suite struct TrainingLogRowTests {
    @Test func keysAreSortedAndNonFiniteValuesAreNull() {
        let row = TrainingLogRow(step: 500, trainLoss: .nan, trainAccuracy: 0.75, valLoss: .infinity, valAccuracy: 0.5,
                                 valAUC: 0.875, imagesPerSecond: 120)
        #expect(row.line == #"{"images_per_second":120,"step":500,"train_accuracy":0.75,"train_loss":null,"val_accuracy":0.5,"val_auc":0.875,"val_loss":null}"#)
        #expect(TrainingLogRow(step: 3).line == #"{"step":3}"#)
    }
}
