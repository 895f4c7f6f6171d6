import Foundation
import KeepersCore
import KeepersHDF5
import KeepersImaging
import Synchronization

/// Reads shards for train, report and predict: lists the buckets with their
/// images' ids, labels and repeats (read once at open), and reads single
/// images into caller buffers. Safe to call from several threads (e.g. a
/// prefetching one): HDF5 work is serialised in KeepersHDF5, and at most
/// `openFileLimit` files are kept open, least recently used closed first.
public final class ShardReader: Sendable {
    /// One bucket: the index's record plus its images' metadata, in file order.
    public struct Bucket: Sendable {
        public let record: ShardBucket
        public let ids: [String]
        /// 1 = positive class.
        public let labels: [UInt8]
        public let repeats: [Double]

        public var split: Split { record.split }
        public var height: Int { record.height }
        public var width: Int { record.width }
        public var count: Int { record.count }
        public var classCounts: [String: Int] { record.classCounts }
        /// Bytes of one image as uint8 HWC, or elements of one image as float CHW.
        public var imageElements: Int { record.height * record.width * 3 }
    }

    public let folder: URL
    public let index: ShardIndex
    public let buckets: [Bucket]
    private let openFileLimit: Int
    private let cache = Mutex<[(name: String, images: HDF5Dataset)]>([])

    public convenience init(layout: WorkLayout, openFileLimit: Int = 8) throws {
        try self.init(folder: layout.shards, openFileLimit: openFileLimit)
    }

    public init(folder: URL, openFileLimit: Int = 8) throws {
        self.folder = folder
        self.openFileLimit = max(1, openFileLimit)
        index = try ShardIndex.read(from: folder.appendingPathComponent("index.json"))
        buckets = try index.buckets.map { record in
            var ids: [String] = [], labels: [UInt8] = [], repeats: [Double] = []
            for file in record.files {
                let url = folder.appendingPathComponent(file.name)
                let shard = try HDF5File.open(at: url)
                let fileIDs = try shard.dataset("ids").readStrings()
                guard fileIDs.count == file.count else {
                    throw KeepersError.format(path: url.path, reason: "holds \(fileIDs.count) images, the index says \(file.count)")
                }
                ids += fileIDs
                labels += try shard.dataset("labels").read(UInt8.self)
                repeats += try shard.dataset("repeats").read(Double.self)
            }
            guard labels.count == ids.count, repeats.count == ids.count, ids.count == record.count else {
                throw KeepersError.format(path: folder.path, reason: "bucket \(record.key): \(ids.count) ids, "
                                          + "\(labels.count) labels, \(repeats.count) repeats, index count \(record.count)")
            }
            return Bucket(record: record, ids: ids, labels: labels, repeats: repeats)
        }
    }

    /// The bucket of one split and size, if there is one.
    public func bucketIndex(split: Split, height: Int, width: Int) -> Int? {
        buckets.firstIndex { $0.split == split && $0.height == height && $0.width == width }
    }

    /// Reads image `image` of bucket `bucket` as uint8 HWC RGB into `output`
    /// (`imageElements` bytes).
    public func readImage(bucket: Int, image: Int, into output: UnsafeMutableBufferPointer<UInt8>) throws {
        let (dataset, row) = try locate(bucket, image)
        let b = buckets[bucket]
        try dataset.read(start: [row, 0, 0, 0], count: [1, b.height, b.width, 3], into: output)
    }

    /// Reads one image as normalised float CHW (pixel / 255 - 0.5), mirrored
    /// left-right if `flip`, into `output` (`imageElements` floats: one image
    /// of an NCHW batch).
    public func readNormalised(bucket: Int, image: Int, flip: Bool, into output: UnsafeMutableBufferPointer<Float>) throws {
        let b = buckets[bucket]
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.imageElements) { pixels in
            try readImage(bucket: bucket, image: image, into: pixels)
            InputNormalisation.normalise(UnsafeBufferPointer(pixels), height: b.height, width: b.width, flip: flip, into: output)
        }
    }

    /// Reads `images` of one bucket as an NCHW float batch into `output`
    /// (`images.count * imageElements` floats).
    public func readBatch(bucket: Int, images: [Int], flips: [Bool], into output: UnsafeMutableBufferPointer<Float>) throws {
        let size = buckets[bucket].imageElements
        precondition(flips.count == images.count && output.count == images.count * size, "batch buffer does not match")
        for (slot, image) in images.enumerated() {
            let start = output.baseAddress! + slot * size
            let slice = UnsafeMutableBufferPointer(start: start, count: size)
            try readNormalised(bucket: bucket, image: image, flip: flips[slot], into: slice)
        }
    }

    /// One image as an RGBImage (for reports and tests; training uses the buffer calls).
    public func image(bucket: Int, image: Int) throws -> RGBImage {
        let b = buckets[bucket]
        let pixels = try [UInt8](unsafeUninitializedCapacity: b.imageElements) { buffer, count in
            try readImage(bucket: bucket, image: image, into: buffer)
            count = buffer.count
        }
        return RGBImage(width: b.width, height: b.height, pixels: pixels)
    }

    /// The backbone features of every image of `bucket`, (count, F) row-major
    /// in image order, with F; read from the files' `features` datasets.
    /// Empty with F = 0 when the shards carry none (`index.backbone` nil).
    public func features(bucket: Int) throws -> (rows: [Float], width: Int) {
        guard index.backbone != nil else { return ([], 0) }
        var rows: [Float] = [], width = 0
        for file in buckets[bucket].record.files {
            let url = folder.appendingPathComponent(file.name)
            let dataset = try HDF5File.open(at: url).dataset("features")
            guard dataset.shape.count == 2, dataset.shape[0] == file.count, width == 0 || dataset.shape[1] == width else {
                throw KeepersError.format(path: url.path, reason: "features of shape \(dataset.shape) for \(file.count) images")
            }
            width = dataset.shape[1]
            rows += try dataset.read(Float.self)
        }
        return (rows, width)
    }

    /// The open `images` dataset holding an image, and the image's row in it.
    private func locate(_ bucket: Int, _ image: Int) throws -> (HDF5Dataset, Int) {
        let record = buckets[bucket].record
        precondition(image >= 0 && image < record.count, "image \(image) is outside bucket \(bucket) (\(record.count) images)")
        var row = image
        for file in record.files {
            if row < file.count { return (try images(in: file.name), row) }
            row -= file.count
        }
        preconditionFailure("the index's file counts do not add up to the bucket's count")
    }

    private func images(in name: String) throws -> HDF5Dataset {
        try cache.withLock { cache in
            if let hit = cache.firstIndex(where: { $0.name == name }) {
                let entry = cache.remove(at: hit)
                cache.append(entry)
                return entry.images
            }
            // No chunk cache: images are drawn at random, so a chunk is rarely
            // read twice in a row, and uncached whole-chunk reads go straight
            // into the caller's buffer.
            let images = try HDF5File.open(at: folder.appendingPathComponent(name)).dataset("images", chunkCacheBytes: 0)
            if cache.count >= openFileLimit { cache.removeFirst() }
            cache.append((name, images))
            return images
        }
    }
}
