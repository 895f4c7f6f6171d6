import Foundation
import KeepersCore
import KeepersModel
import KeepersNetwork
import KeepersShards

public struct TrainOptions: Sendable {
    /// Overrides `train.threads` (0 = one per core).
    public var threads: Int?
    /// Discard checkpoints, log and model and start at step 0.
    public var fresh = false
    /// Start fresh, instead of refusing, when settings or data changed since the checkpoint.
    public var restartIfChanged = false

    public init(threads: Int? = nil, fresh: Bool = false, restartIfChanged: Bool = false) {
        self.threads = threads
        self.fresh = fresh
        self.restartIfChanged = restartIfChanged
    }
}

public enum TrainOutcome: Equatable, Sendable {
    /// Trained up to `train.steps` in this run; model.h5 written.
    case completed(bestAUC: Double?, bestStep: Int)
    /// Stopped on request after `step`, with a checkpoint there.
    case stopped(step: Int)
    /// The newest checkpoint was already at `train.steps`; model.h5 checked.
    case alreadyComplete
}

/// Trains the network on the shards and writes checkpoints, the log and
/// model.h5 (docs/training.md).
public final class Trainer {
    /// The sections training reads: the model, the recipe, and the ingest
    /// settings its photos were stored with (recorded in model.h5 for predict).
    let modelSettings: ModelSettings
    let settings: TrainSettings
    let ingest: IngestSettings
    let layout: WorkLayout
    let options: TrainOptions
    /// Messages, progress and the clock; `stopRequested` is polled after every step.
    let context: StageContext
    /// The good training photos' statistics, for model.h5 (culling reasons).
    private var goodStatistics: GoodStatistics?

    public init(model: ModelSettings, train: TrainSettings, ingest: IngestSettings, layout: WorkLayout,
                options: TrainOptions, context: StageContext) {
        modelSettings = model
        settings = train
        self.ingest = ingest
        self.layout = layout
        self.options = options
        self.context = context
    }

    /// Start or resume, step until done (evaluating and checkpointing on
    /// the way), finish: model.h5.
    public func run() throws -> TrainOutcome {
        var session = try prepare()
        var state = try startOrResume(&session)
        if state.step >= session.total {
            try writeModel(state, network: session.network, index: session.reader.index, identity: session.identity)
            context.say("already trained to step \(state.step); \(layout.model.relativePath) is up to date")
            return .alreadyComplete
        }
        try? FileManager.default.removeItem(at: layout.model)  // exists only for a finished run
        let cores = session.threads == 1 ? "1 thread" : "\(session.threads) threads"
        let pretrain = settings.pretrainSteps
        let plan = pretrain > 0 ? "\(pretrain) fault-pretraining and \(settings.steps) labelled steps" : "\(settings.steps) steps"
        context.say(state.step == 0 ? "training \(plan) on \(cores)" : "resuming at step \(state.step) of \(session.total) on \(cores)")

        let loop = try Loop(session: session, settings: settings,
                            progress: context.progress("train", total: session.total - state.step, unit: "steps"))
        while state.step < session.total {
            let newBest = try step(&state, session, loop)
            let finished = state.step == session.total
            let stop = context.stopRequested()
            if state.step % settings.checkpointEvery == 0 || finished || newBest || stop {
                try session.store.save(state.checkpoint(identity: session.identity, parameters: session.network.flatParameters))
            }
            if stop && !finished {
                loop.progress.finish("stopped after step \(state.step) of \(session.total)")
                context.say("checkpoint saved in \(layout.checkpoints.relativePath); to resume, run the same command again")
                return .stopped(step: state.step)
            }
        }
        loop.progress.finish()
        try writeModel(state, network: session.network, index: session.reader.index, identity: session.identity)
        context.say("wrote \(layout.model.relativePath): weights of step \(state.bestAUC == nil ? session.total : state.bestStep)"
                    + (state.bestAUC.map { ", validation AUC \(format($0))" } ?? " (no validation AUC: the final weights)"))
        return .completed(bestAUC: state.bestAUC, bestStep: state.bestStep)
    }

    /// What a run sets up before its first step, resumed or not: the shards,
    /// the network, the samplers, the statistics models (a pure function of
    /// the shards and settings: fitted again on resume, never checkpointed).
    struct Session {
        let reader: ShardReader
        let threads: Int
        let total: Int
        var identity: RunIdentity
        let network: Network
        let sampler: BatchSampler
        let schedule: LearningRate
        let statistics: StatisticsCache
        let sample: StatisticsSample?
        let statisticsLogits: CrossFitLogits?
        let validation: SplitEvaluator
        let store: CheckpointStore
        let log: TrainingLogFile
    }

    private func prepare() throws -> Session {
        let reader = try ShardReader(layout: layout)
        let threads = resolvedThreadCount(options.threads ?? settings.threads)
        let network = try Network(model: modelSettings, seed: settings.seed, threads: threads)
        let statistics = StatisticsCache(reader: reader)
        let sample = modelSettings.statistics || modelSettings.backbone != nil ? try statistics.trainingSample() : nil
        if let sample, modelSettings.statistics {
            network.statisticsNormalisation = StatisticsNormalisation(samples: sample.statistics)
        }
        // Every model records where its good photos lie, whether or not it reads the statistics.
        let reference = try sample ?? statistics.trainingSample()
        goodStatistics = GoodStatistics(good: zip(reference.statistics, reference.labels).filter { $0.1 == 1 }.map(\.0),
                                        floor: StatisticsNormalisation(samples: reference.statistics).std)
        let session = Session(
            reader: reader, threads: threads, total: settings.pretrainSteps + settings.steps,
            identity: RunIdentity(model: modelSettings, train: settings, index: reader.index, threads: threads),
            network: network,
            sampler: try BatchSampler(reader: reader, batchSize: settings.batchSize, flip: settings.flip,
                                      translate: settings.translate, seed: settings.seed),
            schedule: LearningRate(settings: settings), statistics: statistics, sample: sample,
            statisticsLogits: try fitStatisticsModels(network: network, sample: sample, reader: reader),
            validation: SplitEvaluator(reader: reader, split: .val, batchSize: settings.batchSize),
            store: CheckpointStore(folder: layout.checkpoints, keep: settings.keepCheckpoints),
            log: TrainingLogFile(url: layout.trainLog))
        // Leftovers of writes that a kill -9 interrupted.
        AtomicFile.removeStaleTemporaries(in: layout.checkpoints)
        AtomicFile.removeStaleTemporaries(in: layout.train)
        let commonest = reader.buckets.filter { $0.split == .train }.max { $0.count < $1.count }!
        context.say(network.summary(height: commonest.height, width: commonest.width))
        return session
    }

    /// The state of the newest usable checkpoint (its weights loaded into
    /// the network; a resume that changes reproducibility is noted in the
    /// session's identity), or a fresh one with no checkpoints left behind.
    private func startOrResume(_ session: inout Session) throws -> TrainingState {
        var state = TrainingState(optimizer: Optimizer(settings: settings), averageWindow: settings.averageWindow)
        if let checkpoint = try resumable(store: session.store, identity: &session.identity) {
            try session.network.setFlatParameters(checkpoint.parameters)
            state = TrainingState(checkpoint: checkpoint, optimizer: state.optimizer, averageWindow: settings.averageWindow)
        } else {
            try session.store.removeAll()
            if settings.pretrainSteps == 0 { try startLabelledTraining(session.network, sample: session.sample) }
        }
        try session.log.rewrite(state.logLines)
        return state
    }

    /// What the steps share within one run: the input buffer (sized for the
    /// largest bucket), the pretext task, the progress line, the timing of
    /// the current evaluation interval.
    final class Loop {
        let input: UnsafeMutableBufferPointer<Float>
        let progress: KeepersCore.Progress
        let pretext: FaultPretext
        let pretextSampler: BatchSampler
        let batches: LabelledBatches
        var interval = (seconds: 0.0, images: 0)
        var translationScratch: [Float] = []

        init(session: Session, settings: TrainSettings, progress: KeepersCore.Progress) throws {
            let largest = session.reader.buckets.filter { $0.split != .test }.map(\.imageElements).max()!
            input = .allocate(capacity: settings.batchSize * largest)
            self.progress = progress
            pretext = FaultPretext(seed: settings.seed)
            pretextSampler = try BatchSampler(reader: session.reader, batchSize: settings.batchSize, flip: settings.flip,
                                              seed: settings.seed ^ FaultPretext.samplerSeed)
            batches = LabelledBatches(sampler: session.sampler, reader: session.reader, statistics: session.statistics,
                                      statisticsLogits: session.statisticsLogits)
        }

        deinit { input.deallocate() }
    }

    /// One step, fault pretraining or labelled, and the evaluation due after
    /// it; true when the evaluation found a new best model.
    private func step(_ state: inout TrainingState, _ session: Session, _ loop: Loop) throws -> Bool {
        let (pretrain, total, network) = (settings.pretrainSteps, session.total, session.network)
        let started = context.now()
        if state.step < pretrain {
            try pretrainStep(network, state: &state, pretext: loop.pretext, sampler: loop.pretextSampler,
                             reader: session.reader, input: loop.input)
            loop.progress.advance(detail: "fault pretraining step \(state.step)/\(pretrain), ranking loss "
                                          + "\(format(state.averageLoss)), pairs ranked \(format(state.averageAccuracy))")
            if state.step % settings.evalEvery == 0 || state.step == pretrain {
                context.say("fault pretraining step \(state.step): ranking loss \(format(state.averageLoss)), "
                            + "pairs ranked by the margin \(format(state.averageAccuracy))")
            }
            return false
        }
        if state.step == pretrain && pretrain > 0 {
            try startLabelledTraining(network, sample: session.sample)
            state.startLabelledTraining(optimizer: Optimizer(settings: settings))
        }
        try labelledStep(network, state: &state, labelled: state.step - pretrain, batches: loop.batches,
                         schedule: session.schedule, input: loop.input, translationScratch: &loop.translationScratch)
        loop.interval.seconds += context.now() - started
        loop.interval.images += settings.batchSize
        loop.progress.advance(detail: "step \(state.step)/\(total), train loss \(format(state.averageLoss)), "
                                      + "best val AUC \(format(state.bestAUC))")
        guard (state.step - pretrain) % settings.evalEvery == 0 || state.step == total else { return false }
        return try evaluate(&state, session, loop)
    }

    /// Validation: a log row, and the weights kept if they are the best so far.
    private func evaluate(_ state: inout TrainingState, _ session: Session, _ loop: Loop) throws -> Bool {
        let network = session.network
        let metrics = session.validation.isEmpty ? nil : try withEvaluatedWeights(state, network) {
            try session.validation.evaluate(network, buffer: loop.input)
        }
        let row = TrainingLogRow(step: state.step, trainLoss: state.averageLoss, trainAccuracy: state.averageAccuracy,
                                 valLoss: metrics?.loss, valAccuracy: metrics?.accuracy, valAUC: metrics?.auc,
                                 imagesPerSecond: Double(loop.interval.images) / loop.interval.seconds)
        loop.interval = (0, 0)
        state.logLines.append(row.line)
        try session.log.append(row.line)
        let weights = evaluatedWeights(state, network)
        let newBest = state.consider(auc: metrics?.auc, selection: settings.selection, window: settings.selectionWindow,
                                     parameters: weights)
        context.say(describe(row) + (newBest ? " (best so far)" : ""))
        return newBest
    }

    /// One labelled step: the batch of 0-based labelled step `labelled`,
    /// translated, forward with each image's statistics (and the statistics
    /// models' cross-fitted logits), backward, one update at the schedule's
    /// rate; the result goes into `state`.
    private func labelledStep(_ network: Network, state: inout TrainingState, labelled: Int, batches: LabelledBatches,
                              schedule: LearningRate, input: UnsafeMutableBufferPointer<Float>,
                              translationScratch: inout [Float]) throws {
        // Read synchronously: a prefetching thread would compete with oneDNN's threads for the cores.
        let draw = batches.sampler.batch(step: labelled)
        let bucket = batches.reader.buckets[draw.bucket]
        let batch = UnsafeMutableBufferPointer(rebasing: input[0..<(settings.batchSize * bucket.imageElements)])
        try batches.reader.readBatch(bucket: draw.bucket, images: draw.images, flips: draw.flips, into: batch)
        translate(batch.baseAddress!, height: bucket.height, width: bucket.width,
                  shifts: draw.shifts.map { ($0.dy, $0.dx) }, scratch: &translationScratch)
        let labels = draw.images.map { Float(bucket.labels[$0]) }
        let imageStatistics = modelSettings.statistics
            ? try draw.images.map { try batches.statistics.statistics(bucket: draw.bucket, image: $0) } : nil
        let keep = batches.sampler.dropout(step: labelled, count: settings.batchSize * network.pooledFeatures, p: settings.dropout)
        let pass = try network.forward(
            input: batch.baseAddress!, labels: labels, batch: settings.batchSize, height: bucket.height, width: bucket.width,
            keep: keep, statistics: imageStatistics,
            statisticsLogits: try batches.statisticsLogits?.batch(draw.bucket, draw.images, network, imageStatistics))
        try network.backward(pass)
        state.optimizer.learningRate = schedule.at(step: labelled)
        try network.update(with: &state.optimizer)
        state.record(pass.result, batchSize: settings.batchSize)
        state.updateAverage(network.flatParameters, decay: settings.ema)
    }

    /// How labelled training starts, after any fault pretraining: with a
    /// model of the statistics (trees, additive), the network's own logit at
    /// 0, so the first score is that model's; else with `prefit_steps`, the
    /// head fitted to the statistics alone.
    private func startLabelledTraining(_ network: Network, sample: StatisticsSample?) throws {
        if !network.statisticsModels.isEmpty || network.backbone != nil {
            network.silenceOutput()
        } else if let sample, settings.prefitSteps > 0 {
            let loss = try network.fitHeadToStatistics(sample.statistics, labels: sample.labels,
                                                       fit: StatisticsHeadFit(settings: settings))
            context.say("head fitted to the statistics of \(sample.labels.count) training images: loss \(format(Double(loss)))")
        }
    }

    /// With `model.trees` or `model.additive`: fits them to the training
    /// sample's standardised statistics and returns each sampled image's
    /// logit for training, their sum: cross-fitted where `cross_fit` asks,
    /// else the model's own (nil without any model).
    private func fitStatisticsModels(network: Network, sample: StatisticsSample?, reader: ShardReader) throws
        -> CrossFitLogits? {
        guard let sample, modelSettings.trees != nil || modelSettings.additive != nil || modelSettings.backbone != nil else {
            return nil
        }
        let rows = sample.statistics.flatMap(network.statisticsNormalisation.apply)
        let (k, n) = (ImageStatistics.count, sample.labels.count)
        var crossFitted: [Float]?
        func add(_ logits: [Float]) { crossFitted = zip(crossFitted ?? [Float](repeating: 0, count: n), logits).map { $0 + $1 } }
        if let trees = modelSettings.trees {
            network.trees = try BoostedTrees.fit(rows: rows, labels: sample.labels, features: k, settings: trees)
            context.say("\(trees.iterations) boosted trees fitted to the statistics of \(n) training images")
            add(trees.crossFit > 1
                ? try BoostedTrees.crossFitLogits(rows: rows, labels: sample.labels, features: k, settings: trees,
                                                  folds: trees.crossFit, foldOf: sample.images.indices.map { $0 % trees.crossFit })
                : network.trees!.logits(rows, n: n))
        }
        if let additive = modelSettings.additive {
            let model = try AdditiveLogistic.fit(rows: rows, labels: sample.labels, features: k, settings: additive)
            network.additive = model
            context.say("additive model fitted to the statistics of \(n) training images")
            add(additive.crossFit > 1
                ? try CrossFit.logits(rows: rows, labels: sample.labels, features: k, folds: additive.crossFit,
                                      foldOf: sample.images.indices.map { $0 % additive.crossFit }, all: model) {
                    try AdditiveLogistic.fit(rows: $0, labels: $1, features: k, settings: additive)
                }
                : model.logits(rows, n: n))
        }
        if let backbone = modelSettings.backbone {
            let fitted = try BackboneModelFit(settings: backbone, sample: sample, reader: reader,
                                              offsets: crossFitted ?? [Float](repeating: 0, count: n))
            network.backbone = fitted.model
            context.say("backbone model fitted to the \(fitted.model.features) features of \(n) training images")
            add(fitted.crossFitted)
        }
        guard let crossFitted else { return nil }
        var byImage: [Int: [Int: Float]] = [:]
        for (position, logit) in zip(sample.images, crossFitted) { byImage[position.bucket, default: [:]][position.image] = logit }
        // Training images past the sample take the final models' logits: the
        // statistics models' from the statistics, the backbone's from here.
        var backboneLogits: [Int: [Float]] = [:]
        if let model = network.backbone {
            for bucket in reader.buckets.indices where reader.buckets[bucket].split == .train {
                let features = try reader.features(bucket: bucket)
                backboneLogits[bucket] = model.logits(features.rows, n: reader.buckets[bucket].count)
            }
        }
        return CrossFitLogits(byImage: byImage, backboneLogits: backboneLogits)
    }

    /// The checkpoint to continue from, or nil to start at step 0 (nothing
    /// usable, `--fresh`, or a change with `--restart-if-changed`). Refuses
    /// with an error when settings or data changed.
    private func resumable(store: CheckpointStore, identity: inout RunIdentity) throws -> Checkpoint? {
        if options.fresh {
            context.say("--fresh: discarding checkpoints, log and model")
            return nil
        }
        guard let checkpoint = try store.newestValid(warn: { self.context.say("warning: \($0)") }) else { return nil }
        let file = store.url(step: checkpoint.step).relativePath
        var changes: [String] = []
        if checkpoint.identity.settingsFingerprint != identity.settingsFingerprint { changes.append("the model or training settings") }
        if checkpoint.identity.dataFingerprint != identity.dataFingerprint { changes.append("the shards (training data)") }
        if checkpoint.step > settings.pretrainSteps + settings.steps {
            changes.append("train.steps (now \(settings.pretrainSteps + settings.steps) in all, below the checkpoint's step)")
        }
        if !changes.isEmpty {
            let what = "\(changes.joined(separator: " and ")) changed since \(file) (step \(checkpoint.step)) was written"
            guard options.restartIfChanged else {
                throw KeepersError.invalidArgument("\(what). Run with --fresh to discard it and train from the start, or restore the old config.")
            }
            context.say("\(what): starting fresh (--restart-if-changed)")
            return nil
        }
        // Allowed, but the last bits of every sum may change from here on:
        // said loudly, and carried into every later checkpoint and model.h5.
        let computation = identity.computationChanges(since: checkpoint.identity)
        if !computation.isEmpty {
            let was = checkpoint.identity.backend.isEmpty ? "unrecorded" : checkpoint.identity.backend
            context.say("WARNING: \(file) was computed with \(checkpoint.identity.threads) threads, this run uses \(identity.threads) "
                        + "(kernels then: \(was); now: \(identity.backend)): the result will not be bitwise identical to an "
                        + "uninterrupted run, and model.h5 will say so (attribute not_reproducible)")
        }
        identity.notReproducible = checkpoint.identity.notReproducible
            + (computation.isEmpty ? [] : ["resumed at step \(checkpoint.step) with \(computation.joined(separator: ", "))"])
        return checkpoint
    }

    /// The weights validation scores and model.h5 keeps: the moving average
    /// when `train.ema` is on, else the raw ones.
    private func evaluatedWeights(_ state: TrainingState, _ network: Network) -> [Float] {
        state.emaParameters.isEmpty ? network.flatParameters : state.emaParameters
    }

    /// Runs `body` with the evaluated weights loaded, then puts the raw ones back.
    private func withEvaluatedWeights<T>(_ state: TrainingState, _ network: Network, _ body: () throws -> T) throws -> T {
        guard !state.emaParameters.isEmpty else { return try body() }
        let raw = network.flatParameters
        try network.setFlatParameters(state.emaParameters)
        defer { try? network.setFlatParameters(raw) }
        return try body()
    }

    /// model.h5: the selected validation weights, or the last evaluated ones
    /// with `selection: last` or if no AUC was ever measured. Left alone if it
    /// holds them already, so that make does not redo the report.
    private func writeModel(_ state: TrainingState, network: Network, index: ShardIndex, identity: RunIdentity) throws {
        try network.setFlatParameters(state.bestAUC != nil ? state.bestParameters : evaluatedWeights(state, network))
        var metadata = ModelMetadata(model: modelSettings, step: state.bestAUC == nil ? state.step : state.bestStep,
                                     trainedSteps: state.step, valAUC: state.bestAUC, parameterCount: network.parameterCount,
                                     positiveClass: index.positiveClass, negativeClass: index.negativeClass)
        metadata.preprocessing = ingest.image
        metadata.maxPixels = ingest.maxPixels
        metadata.backbone = network.backbone == nil ? nil : index.backbone
        metadata.goodStatistics = goodStatistics
        metadata.computation = ModelMetadata.Computation(backend: identity.backend, threads: identity.threads,
                                                         notReproducible: identity.notReproducible)
        if let (existing, existingMetadata) = try? ModelFile.load(layout.model, threads: 1), existingMetadata == metadata,
           existing.flatParameters.map(\.bitPattern) == network.flatParameters.map(\.bitPattern),
           existing.statisticsNormalisation == network.statisticsNormalisation, existing.trees == network.trees,
           existing.additive == network.additive, existing.backbone == network.backbone {
            return
        }
        try ModelFile.write(network.parameterTensors(), metadata: metadata,
                            statistics: modelSettings.statistics ? network.statisticsNormalisation : nil,
                            trees: network.trees, additive: network.additive, backbone: network.backbone, to: layout.model)
    }

    private func describe(_ row: TrainingLogRow) -> String {
        "step \(row.step): train loss \(format(row.trainLoss)) acc \(format(row.trainAccuracy)), "
            + "val loss \(format(row.valLoss)) acc \(format(row.valAccuracy)) AUC \(format(row.valAUC)), "
            + "\(format(row.imagesPerSecond, digits: 0)) images/s"
    }

    private func format(_ value: Double?, digits: Int = 3) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "-"
    }
}

/// Where labelled batches come from: the draws, the pixels, each image's
/// statistics and the statistics models' cross-fitted logits.
struct LabelledBatches {
    let sampler: BatchSampler
    let reader: ShardReader
    let statistics: StatisticsCache
    let statisticsLogits: CrossFitLogits?
}

/// Each sampled training image's statistics-model logit from models fitted
/// without it (`crossFit`): the network learns from them what those models
/// miss on photos they have not seen, not on photos they have memorised.
struct CrossFitLogits {
    /// [bucket: [image: logit]]
    let byImage: [Int: [Int: Float]]
    /// [bucket: logit of each image]: the final backbone model's, for images
    /// outside the sample; empty without `model.backbone`.
    let backboneLogits: [Int: [Float]]

    /// A batch's tree logits; an image outside the sample (past
    /// `StatisticsCache.sampleLimit`) takes the final models' own.
    func batch(_ bucket: Int, _ images: [Int], _ network: Network, _ statistics: [[Float]]?) throws -> [Float] {
        try images.enumerated().map { index, image in
            if let logit = byImage[bucket]?[image] { return logit }
            let backbone = backboneLogits[bucket]?[image] ?? 0
            if network.statisticsModels.isEmpty { return backbone }
            guard let statistics else {
                throw KeepersError.invalidArgument("no statistics for the statistics models of image \(image) of bucket \(bucket)")
            }
            let row = ArraySlice(network.statisticsNormalisation.apply(statistics[index]))
            return network.statisticsModels.reduce(backbone) { $0 + $1.logit(row) }
        }
    }
}
