import KeepersNetwork
import KeepersShards

extension Trainer {
    /// One step of fault pretraining (`FaultPretext`): pairs of a training
    /// photo and its degraded copy, the ranking loss, one update at the
    /// training learning rate (after its warm-up). The head sees every
    /// photo's statistics as the training mean and the statistics models' logit as 0, so
    /// only the convolutions can tell a photo from its copy.
    func pretrainStep(_ network: Network, state: inout TrainingState, pretext: FaultPretext, sampler: BatchSampler,
                      reader: ShardReader, input: UnsafeMutableBufferPointer<Float>) throws {
        let batchSize = settings.batchSize
        let draw = sampler.batch(step: state.step)
        let bucket = reader.buckets[draw.bucket]
        let slots = FaultPretext.slots(draw.images, batchSize: batchSize)
        let flips = FaultPretext.slots(draw.flips, batchSize: batchSize)
        let batch = UnsafeMutableBufferPointer(rebasing: input[0..<(batchSize * bucket.imageElements)])
        try reader.readBatch(bucket: draw.bucket, images: slots, flips: flips, into: batch)
        let pairs = batchSize / 2
        for pair in 0..<pairs {
            pretext.degradation(step: state.step, pair: pair, pairs: pairs)
                .apply(to: batch.baseAddress! + (2 * pair + 1) * bucket.imageElements, height: bucket.height, width: bucket.width)
        }
        let neutral = network.usesStatistics ? [[Float]](repeating: network.statisticsNormalisation.mean, count: batchSize) : nil
        let pass = try network.forward(input: batch.baseAddress!, labels: [Float](repeating: 0, count: batchSize),
                                       batch: batchSize, height: bucket.height, width: bucket.width, statistics: neutral,
                                       statisticsLogits: network.statisticsModels.isEmpty ? nil : [Float](repeating: 0, count: batchSize))
        let (loss, ranked, dlogits) = FaultPretext.rankingLoss(logits: pass.logits)
        try network.backward(pass, dlogits: dlogits)
        let warmup = min(settings.warmupSteps, settings.pretrainSteps / 4)
        state.optimizer.learningRate = Float(settings.learningRate * Double(min(state.step + 1, max(warmup, 1))) / Double(max(warmup, 1)))
        try network.update(with: &state.optimizer)
        state.record(StepResult(loss: loss, correct: ranked), batchSize: max(pairs, 1))
    }
}
