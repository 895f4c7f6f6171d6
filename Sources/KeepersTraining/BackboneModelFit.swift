import KeepersCore
import KeepersNetwork
import KeepersShards

/// `model.backbone`'s logistic regression, fitted to the training sample's
/// backbone features (from the shards) on top of the statistics models'
/// cross-fitted logits (`offsets`): it learns what they miss. Also gives each
/// sampled image a logit from a model fitted without it (`cross_fit` folds,
/// images dealt by position as the statistics models deal them), for the
/// network's training to add to.
struct BackboneModelFit {
    let model: FeatureLogistic
    let crossFitted: [Float]

    init(settings: BackboneSettings, sample: StatisticsSample, reader: ShardReader, offsets: [Float]) throws {
        var byBucket: [Int: (rows: [Float], width: Int)] = [:]
        var rows: [Float] = [], width = 0
        for (bucket, image) in sample.images {
            if byBucket[bucket] == nil { byBucket[bucket] = try reader.features(bucket: bucket) }
            let features = byBucket[bucket]!
            guard features.width > 0 else {
                throw KeepersError.invalidArgument("model.backbone is \(settings.name) but the shards carry no backbone "
                                                   + "features: run keepers-ingest and keepers-shard with this config")
            }
            width = features.width
            rows += features.rows[(image * width)..<((image + 1) * width)]
        }
        let (labels, n) = (sample.labels, sample.labels.count)
        model = try FeatureLogistic.fit(rows: rows, labels: labels, offsets: offsets, features: width, c: settings.c)
        guard settings.crossFit > 1 else {
            crossFitted = model.logits(rows, n: n)
            return
        }
        var result = [Float](repeating: 0, count: n)
        for fold in 0..<settings.crossFit {
            let held = (0..<n).filter { $0 % settings.crossFit == fold }
            let kept = (0..<n).filter { $0 % settings.crossFit != fold }
            guard !held.isEmpty else { continue }
            let keptLabels = kept.map { labels[$0] }
            let positives = keptLabels.reduce(0, +)
            let foldModel = positives > 0 && positives < Float(kept.count)
                ? try FeatureLogistic.fit(rows: kept.flatMap { rows[($0 * width)..<(($0 + 1) * width)] }, labels: keptLabels,
                                          offsets: kept.map { offsets[$0] }, features: width, c: settings.c)
                : model
            for i in held { result[i] = foldModel.logit(rows[(i * width)..<((i + 1) * width)]) }
        }
        crossFitted = result
    }
}
