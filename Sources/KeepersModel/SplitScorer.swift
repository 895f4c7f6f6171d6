import Foundation
import KeepersCore
import KeepersNetwork
import KeepersShards

/// Scores every photo of one split straight from the shards, through the
/// `SplitEvaluator` (the same batching the trainer's validation uses).
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
        let evaluator = SplitEvaluator(reader: reader, split: split, batchSize: batchSize)
        var buffer = [Float](repeating: 0, count: evaluator.bufferCount)
        let scored = try buffer.withUnsafeMutableBufferPointer { try evaluator.logits(network, buffer: $0) }
        return scored.map { item in
            Score(bucket: item.bucket, image: item.image, id: reader.buckets[item.bucket].ids[item.image],
                  probability: sigmoid(Double(item.logit)))  // as Predictor.probability
        }
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

    /// The raw image statistics of one stored photo (for its reasons).
    public func statistics(bucket: Int, image: Int) throws -> [Float] {
        let record = reader.buckets[bucket]
        var input = [Float](repeating: 0, count: record.imageElements)
        try input.withUnsafeMutableBufferPointer {
            try reader.readNormalised(bucket: bucket, image: image, flip: false, into: $0)
        }
        return input.withUnsafeBufferPointer { ImageStatistics.compute($0.baseAddress!, height: record.height, width: record.width) }
    }
}
