import KeepersCore
import KeepersShards

/// One training batch: which images of which bucket, and which are mirrored.
public struct BatchDraw: Equatable, Sendable {
    /// Index into `ShardReader.buckets`.
    public let bucket: Int
    /// Image indices inside the bucket (with replacement: one may repeat).
    public let images: [Int]
    public let flips: [Bool]
    /// Translation of each image in pixels (all zero when `translate` is 0).
    public let shifts: [Shift]

    public struct Shift: Equatable, Sendable {
        public let dy: Int
        public let dx: Int
    }
}

/// Draws training batches as the seed did: a bucket of the train split with
/// probability proportional to its weighted size (the sum of its images'
/// ingest repeats), then `batchSize` images of it with replacement, each with
/// probability proportional to its repeat (so the oversampled class is drawn
/// more often). Batch k is a pure function of (seed, k): resuming needs only
/// the step number, not a replayed random sequence.
public struct BatchSampler: Sendable {
    /// CounterRandom streams, one per purpose, so the draws never share numbers.
    enum Stream: UInt64 {
        case bucket = 1, image = 2, flip = 3, shiftY = 4, shiftX = 5, dropout = 6
    }

    public let batchSize: Int
    public let flip: Bool
    /// Largest translation in pixels, each direction.
    public let translate: Int
    private let random: CounterRandom
    /// Indices into the reader's buckets, train split only, weight > 0.
    private let buckets: [Int]
    private let bucketTable: CumulativeWeights
    /// Per entry of `buckets`: the cumulative repeats of its images.
    private let imageTables: [CumulativeWeights]

    public init(reader: ShardReader, batchSize: Int, flip: Bool, translate: Int = 0, seed: UInt64) throws {
        var buckets: [Int] = [], tables: [CumulativeWeights] = []
        for (index, bucket) in reader.buckets.enumerated() where bucket.split == .train {
            let table = CumulativeWeights(bucket.repeats)
            guard table.total > 0 else { continue }
            buckets.append(index)
            tables.append(table)
        }
        guard !buckets.isEmpty else {
            throw KeepersError.format(path: reader.folder.path, reason: "no training images with a repeat above 0 (is the train split empty?)")
        }
        self.batchSize = batchSize
        self.flip = flip
        self.translate = translate
        self.buckets = buckets
        imageTables = tables
        bucketTable = CumulativeWeights(tables.map(\.total))
        random = CounterRandom(seed: seed)
    }

    /// The batch of 0-based step `step`.
    public func batch(step: Int) -> BatchDraw {
        let choice = bucketTable.index(at: random.unit(stream: Stream.bucket.rawValue, counter: UInt64(step)))
        let table = imageTables[choice]
        var images: [Int] = [], flips: [Bool] = [], shifts: [BatchDraw.Shift] = []
        let span = UInt64(2 * translate + 1)
        for j in 0..<batchSize {
            let counter = UInt64(step * batchSize + j)
            images.append(table.index(at: random.unit(stream: Stream.image.rawValue, counter: counter)))
            flips.append(flip && random.bits(stream: Stream.flip.rawValue, counter: counter) & 1 == 1)
            // Modulo bias over 2^64 draws is far below anything measurable.
            shifts.append(BatchDraw.Shift(
                dy: Int(random.bits(stream: Stream.shiftY.rawValue, counter: counter) % span) - translate,
                dx: Int(random.bits(stream: Stream.shiftX.rawValue, counter: counter) % span) - translate))
        }
        return BatchDraw(bucket: buckets[choice], images: images, flips: flips, shifts: shifts)
    }
}

extension BatchSampler {
    /// Dropout factors for step `step`: `count` values, each 0 with
    /// probability `p` and 1 / (1 - p) otherwise (empty when p is 0), drawn
    /// from (seed, step) like the batch, so a resumed run drops the same.
    func dropout(step: Int, count: Int, p: Double) -> [Float] {
        guard p > 0 else { return [] }
        let scale = Float(1 / (1 - p))
        return (0..<count).map { i in
            random.unit(stream: Stream.dropout.rawValue, counter: UInt64(step * count + i)) < p ? 0 : scale
        }
    }
}

/// Running sums of non-negative weights; maps a uniform number to an index
/// with probability proportional to its weight by binary search.
struct CumulativeWeights: Sendable {
    /// sums[i] = weights[0] + ... + weights[i].
    let sums: [Double]
    var total: Double { sums.last ?? 0 }

    init(_ weights: [Double]) {
        var running = 0.0
        sums = weights.map { running += max($0, 0); return running }
    }

    /// The first index whose running sum exceeds `unit * total` (`unit` in
    /// [0, 1)), so a zero weight is never chosen.
    func index(at unit: Double) -> Int {
        let target = unit * total
        var (low, high) = (0, sums.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if sums[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
