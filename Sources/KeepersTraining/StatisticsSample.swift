import KeepersNetwork
import KeepersShards

extension StatisticsNormalisation {
    /// At most this many training images are measured: enough for a stable
    /// mean and spread, and a bounded cost on a library of 100,000 photos.
    static let sampleLimit = 2000

    /// Mean and spread of the image statistics over the train split's images
    /// (each once, whatever its repeat; evenly strided past `sampleLimit`),
    /// in bucket and image order, so the result is a pure function of the shards.
    public init(trainingImagesOf reader: ShardReader) throws {
        let images = reader.buckets.indices.filter { reader.buckets[$0].split == .train }
            .flatMap { bucket in (0..<reader.buckets[bucket].count).map { (bucket, $0) } }
        let stride = max(1, (images.count + Self.sampleLimit - 1) / Self.sampleLimit)
        var buffer = [Float]()
        var samples: [[Float]] = []
        for (bucket, image) in images.enumerated().filter({ $0.offset % stride == 0 }).map(\.element) {
            let shape = reader.buckets[bucket]
            if buffer.count != shape.imageElements { buffer = [Float](repeating: 0, count: shape.imageElements) }
            try buffer.withUnsafeMutableBufferPointer { pointer in
                try reader.readBatch(bucket: bucket, images: [image], flips: [false], into: pointer)
                samples.append(ImageStatistics.compute(pointer.baseAddress!, height: shape.height, width: shape.width))
            }
        }
        self.init(samples: samples)
    }
}
