import Foundation
import KeepersCore
import KeepersNetwork
import KeepersReport
import KeepersShards

/// Scores every photo of one split straight from the shards, batch by
/// bucket, with the same normalisation training used.
public struct SplitScorer {
    let network: Network
    let reader: ShardReader
    public var batchSize = 4

    public init(network: Network, reader: ShardReader) {
        self.network = network
        self.reader = reader
    }

    /// (bucket, image) positions of a split's photos with their probabilities.
    public struct Score: Sendable {
        public let bucket: Int
        public let image: Int
        public let id: String
        public let probability: Double
    }

    public func score(split: Split) throws -> [Score] {
        var scores: [Score] = []
        for (bucketIndex, bucket) in reader.buckets.enumerated() where bucket.split == split {
            var input = [Float](repeating: 0, count: batchSize * bucket.imageElements)
            for start in stride(from: 0, to: bucket.count, by: batchSize) {
                let images = Array(start..<min(start + batchSize, bucket.count))
                let used = images.count * bucket.imageElements
                try input.withUnsafeMutableBufferPointer { buffer in
                    try reader.readBatch(bucket: bucketIndex, images: images, flips: images.map { _ in false },
                                         into: UnsafeMutableBufferPointer(rebasing: buffer[0..<used]))
                }
                let logits = try input.withUnsafeBufferPointer {
                    try network.predictLogits(input: $0.baseAddress!, batch: images.count,
                                              height: bucket.height, width: bucket.width)
                }
                for (image, logit) in zip(images, logits) {
                    scores.append(Score(bucket: bucketIndex, image: image, id: bucket.ids[image],
                                        probability: Predictor.probability(logit)))
                }
            }
        }
        return scores
    }

    /// The class activation map of one stored photo, at feature-map resolution.
    public func activationMap(bucket: Int, image: Int) throws -> ActivationMaps {
        let record = reader.buckets[bucket]
        var input = [Float](repeating: 0, count: record.imageElements)
        try input.withUnsafeMutableBufferPointer {
            try reader.readNormalised(bucket: bucket, image: image, flip: false, into: $0)
        }
        return try network.classActivationMaps(input: input, batch: 1, height: record.height, width: record.width)
    }
}
