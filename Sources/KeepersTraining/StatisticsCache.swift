import KeepersNetwork
import KeepersShards

/// Each image's raw `ImageStatistics`, computed once from its stored pixels
/// (unflipped, untranslated) and kept: an image is drawn about
/// steps x batch / images times (~90 on the quality benchmark), and the
/// statistics cost as much as a third of a training step. Values are a pure
/// function of the shards, so a resumed run sees the same ones.
public final class StatisticsCache {
    private let reader: ShardReader
    /// [bucket][image]; an empty row is one not computed yet.
    private var rows: [[[Float]]]
    private var buffer: [Float] = []

    /// At most this many training images make the sample for the
    /// normalisation and the head fit: enough for a stable mean and spread,
    /// and a bounded cost on a library of 100,000 photos.
    static let sampleLimit = 2000

    public init(reader: ShardReader) {
        self.reader = reader
        rows = reader.buckets.map { [[Float]](repeating: [], count: $0.count) }
    }

    public func statistics(bucket: Int, image: Int) throws -> [Float] {
        if rows[bucket][image].isEmpty {
            let shape = reader.buckets[bucket]
            if buffer.count != shape.imageElements { buffer = [Float](repeating: 0, count: shape.imageElements) }
            rows[bucket][image] = try buffer.withUnsafeMutableBufferPointer { pointer in
                try reader.readBatch(bucket: bucket, images: [image], flips: [false], into: pointer)
                return ImageStatistics.compute(pointer.baseAddress!, height: shape.height, width: shape.width)
            }
        }
        return rows[bucket][image]
    }

    /// The train split's images, each once whatever its repeat, evenly
    /// strided past `sampleLimit`, in bucket and image order: their
    /// statistics, labels and (bucket, image) positions.
    public func trainingSample() throws -> StatisticsSample {
        let images = reader.buckets.indices.filter { reader.buckets[$0].split == .train }
            .flatMap { bucket in (0..<reader.buckets[bucket].count).map { (bucket, $0) } }
        let stride = max(1, (images.count + Self.sampleLimit - 1) / Self.sampleLimit)
        let sample = images.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        return StatisticsSample(statistics: try sample.map { try statistics(bucket: $0.0, image: $0.1) },
                                labels: sample.map { Float(reader.buckets[$0.0].labels[$0.1]) },
                                images: sample.map { (bucket: $0.0, image: $0.1) })
    }
}

/// The training images' statistics that the normalisation, the head fit and
/// the trees are computed from: their raw statistics, labels and places.
public struct StatisticsSample {
    public let statistics: [[Float]]
    public let labels: [Float]
    public let images: [(bucket: Int, image: Int)]
}

extension StatisticsNormalisation {
    /// Mean and spread of the statistics of `StatisticsCache.trainingSample()`.
    public init(trainingImagesOf reader: ShardReader) throws {
        self.init(samples: try StatisticsCache(reader: reader).trainingSample().statistics)
    }
}
