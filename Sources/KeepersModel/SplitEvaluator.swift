import Foundation
import KeepersCore
import KeepersMetrics
import KeepersNetwork
import KeepersShards

/// Loss, accuracy and ROC AUC over a whole split.
public struct SplitMetrics: Equatable, Sendable {
    public var images: Int
    /// Mean binary cross-entropy.
    public var loss: Double
    /// At probability 0.5, i.e. logit >= 0.
    public var accuracy: Double
    /// nil when the split lacks one of the classes.
    public var auc: Double?
}

/// Scores every image of one split, bucket by bucket, in batches of the
/// training batch size. The last batch of a bucket is padded with copies of
/// its last image, so each bucket shape needs one inference plan, not two.
/// Validation during training and the report's scoring of the test split
/// both go through it.
public struct SplitEvaluator {
    public let reader: ShardReader
    public let buckets: [Int]
    public let batchSize: Int

    public init(reader: ShardReader, split: Split, batchSize: Int) {
        self.reader = reader
        buckets = reader.buckets.indices.filter { reader.buckets[$0].split == split }
        self.batchSize = batchSize
    }

    public var isEmpty: Bool { buckets.allSatisfy { reader.buckets[$0].count == 0 } }

    /// Floats a buffer for `logits` needs: one batch of the split's largest images.
    public var bufferCount: Int { batchSize * (buckets.map { reader.buckets[$0].imageElements }.max() ?? 0) }

    /// One image's logit, and where the image is.
    public struct Scored: Sendable {
        public let bucket: Int
        public let image: Int
        public let logit: Float
    }

    /// `buffer` holds at least `bufferCount` floats.
    public func logits(_ network: Network, buffer: UnsafeMutableBufferPointer<Float>) throws -> [Scored] {
        var scored: [Scored] = []
        for b in buckets {
            let bucket = reader.buckets[b]
            let features = try reader.features(bucket: b)
            for start in stride(from: 0, to: bucket.count, by: batchSize) {
                let real = min(batchSize, bucket.count - start)
                let images = (0..<batchSize).map { start + min($0, real - 1) }
                let batch = UnsafeMutableBufferPointer(rebasing: buffer[0..<(batchSize * bucket.imageElements)])
                try reader.readBatch(bucket: b, images: images, flips: Array(repeating: false, count: batchSize), into: batch)
                let batchFeatures = features.width == 0 ? nil
                    : images.flatMap { features.rows[($0 * features.width)..<(($0 + 1) * features.width)] }
                let logits = try network.predictLogits(input: batch.baseAddress!, batch: batchSize, height: bucket.height,
                                                       width: bucket.width, backboneFeatures: batchFeatures)
                for (image, logit) in zip(images.prefix(real), logits) {
                    scored.append(Scored(bucket: b, image: image, logit: logit))
                }
            }
        }
        return scored
    }

    public func evaluate(_ network: Network, buffer: UnsafeMutableBufferPointer<Float>) throws -> SplitMetrics {
        let scored = try logits(network, buffer: buffer)
        let logits = scored.map { Double($0.logit) }
        let labels = scored.map { reader.buckets[$0.bucket].labels[$0.image] == 1 }
        let losses = zip(logits, labels).map { binaryCrossEntropy(logit: $0, label: $1 ? 1 : 0) }
        let correct = zip(logits, labels).filter { ($0 >= 0) == $1 }.count
        // The logit ranks images exactly as the probability does, without
        // the ties sigmoid's rounding makes near 0 and 1.
        return SplitMetrics(images: logits.count, loss: losses.reduce(0, +) / Double(max(1, losses.count)),
                            accuracy: Double(correct) / Double(max(1, logits.count)),
                            auc: try? rocAUC(scores: logits, labels: labels))
    }
}
