import Foundation
import KeepersCore
import KeepersNetwork
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
        var progress = TrainingProgress()
        (progress.step, progress.recentLosses, progress.recentAccuracies) = (7, [0.7, 0.6], [0.5, 0.75])
        (progress.bestAUC, progress.bestStep, progress.bestParameters) = (0.8125, 5, [1, 2, 3, 4])
        progress.logLines = [#"{"step":5}"#]
        let checkpoint = Checkpoint(
            identity: RunIdentity(settingsFingerprint: "abc", dataFingerprint: "def", threads: 2),
            parameters: [1.5, -0.0, .leastNonzeroMagnitude, 3], optimizerStep: 7, firstMoment: [0.1, 0.2, 0.3, 0.4],
            secondMoment: [1e-9, 2e-9, 3e-9, 4e-9], progress: progress)
        var withAverage = checkpoint
        (withAverage.emaParameters, withAverage.validationAUCs) = ([0.5, 0.25, -1, 2], [0.75, 0.8125])
        try withAverage.write(to: url)
        #expect(try Checkpoint.read(from: url) == withAverage)
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
        let base = fingerprint { $0.schedule = .constant }
        #expect(fingerprint { $0.schedule = .constant; $0.steps = 5 } == base)
        // A cosine schedule's rate at step k depends on the total.
        #expect(fingerprint { $0.steps = 5 } != fingerprint { _ in })
        #expect(fingerprint { $0.schedule = .constant; $0.checkpointEvery = 7 } == base)
        #expect(fingerprint { $0.schedule = .constant; $0.keepCheckpoints = 9 } == base)
        #expect(fingerprint { $0.schedule = .constant; $0.threads = 3 } == base)
        #expect(fingerprint { $0.schedule = .constant; $0.learningRate = 0.01 } != base)
        #expect(fingerprint { $0.schedule = .constant; $0.seed = 2 } != base)
        #expect(fingerprint { $0.schedule = .constant; $0.evalEvery = 3 } != base)
        #expect(fingerprint { $0.schedule = .constant; $0.flip = false } != base)
        #expect(fingerprint { $0.schedule = .constant; $0.translate = 0 } != base)
        #expect(fingerprint { $0.schedule = .constant; $0.ema = 0 } != base)
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

@Suite struct TrainingRecipeTests {
    @Test func learningRateWarmsUpThenFollowsHalfACosine() {
        var settings = TrainSettings()
        (settings.learningRate, settings.warmupSteps, settings.steps) = (0.01, 10, 110)
        let rate = LearningRate(settings: settings)
        #expect(rate.at(step: 0) == Float(0.001) && rate.at(step: 9) == Float(0.01))
        #expect(rate.at(step: 10) == Float(0.01))
        #expect(abs(rate.at(step: 60) - 0.005) < 1e-7)  // halfway down the cosine
        #expect(rate.at(step: 110) == 0)
        settings.schedule = .constant
        #expect(LearningRate(settings: settings).at(step: 100) == Float(0.01))
    }

    /// Shifts move content and mirror the border without repeating the edge pixel.
    @Test func translationMovesTheImageAndMirrorsTheBorder() {
        let (height, width) = (3, 5)
        var batch = (0..<(2 * 3 * height * width)).map(Float.init)
        let original = batch
        var scratch: [Float] = []
        batch.withUnsafeMutableBufferPointer {
            translate($0.baseAddress!, height: height, width: width, shifts: [(0, 0), (1, 2)], scratch: &scratch)
        }
        #expect(Array(batch[0..<45]) == Array(original[0..<45]))  // image 0 unshifted
        let plane = height * width
        for c in 0..<3 {
            let base = (3 + c) * plane
            // Row 0 comes from row 1 (mirror of -1); columns 0, 1 from 2, 1 (mirror of -2, -1).
            #expect(Array(batch[base..<(base + width)]) == [2, 1, 0, 1, 2].map { original[base + width + $0] })
            #expect(Array(batch[(base + width)..<(base + 2 * width)]) == [2, 1, 0, 1, 2].map { original[base + $0] })
        }
    }

    @Test func dropoutFactorsAreSeededPerStepAndScaleWhatIsKept() throws {
        let fixture = try TrainFixture()
        let sampler = try BatchSampler(reader: ShardReader(layout: fixture.layout), batchSize: 4, flip: true, seed: 3)
        let a = sampler.dropout(step: 7, count: 4000, p: 0.5)
        #expect(a == sampler.dropout(step: 7, count: 4000, p: 0.5))
        #expect(a != sampler.dropout(step: 8, count: 4000, p: 0.5))
        #expect(Set(a) == [0, 2])
        #expect(abs(Double(a.filter { $0 == 0 }.count) / 4000 - 0.5) < 0.05)
        #expect(sampler.dropout(step: 7, count: 10, p: 0).isEmpty)
    }

    @Test func movingAverageRampsUpItsDecay() {
        var state = TrainingState(optimizer: Optimizer(), averageWindow: 5)
        state.updateAverage([4, 8], decay: 0.999)
        #expect(state.emaParameters == [4, 8])  // the first step starts the average
        state.step = 1
        state.updateAverage([15, 8], decay: 0.999)
        // decay min(0.999, 2 / 11): 2/11 * 4 + 9/11 * 15 = 13
        #expect(abs(state.emaParameters[0] - 13) < 1e-5 && state.emaParameters[1] == 8)
        var off = TrainingState(optimizer: Optimizer(), averageWindow: 5)
        off.updateAverage([1], decay: 0)
        #expect(off.emaParameters.isEmpty)
    }

    @Test func smoothedSelectionKeepsTheBestWindowNotTheBestPoint() {
        var state = TrainingState(optimizer: Optimizer(), averageWindow: 5)
        var kept: [Int] = []
        for (step, auc) in [(10, 0.70), (20, 0.95), (30, 0.80), (40, 0.84), (50, 0.86)] {
            state.step = step
            if state.consider(auc: auc, selection: .smoothed, window: 3, parameters: [Float(step)]) { kept.append(step) }
        }
        // Means: 0.70, 0.825, 0.8167, 0.8633, 0.8333: step 20's spike alone does not win.
        #expect(kept == [10, 20, 40])
        #expect(state.bestStep == 40 && state.bestParameters == [40])
        #expect(abs(state.bestAUC! - (0.95 + 0.80 + 0.84) / 3) < 1e-12)

        var best = TrainingState(optimizer: Optimizer(), averageWindow: 5)
        for (step, auc) in [(10, 0.70), (20, 0.95), (30, 0.80)] {
            best.step = step
            _ = best.consider(auc: auc, selection: .best, window: 3, parameters: [Float(step)])
        }
        #expect(best.bestStep == 20)
        var last = TrainingState(optimizer: Optimizer(), averageWindow: 5)
        let keptLast = last.consider(auc: 0.9, selection: .last, window: 3, parameters: [1])
        #expect(!keptLast)
        #expect(last.bestAUC == nil && last.validationAUCs == [0.9])
    }
}
