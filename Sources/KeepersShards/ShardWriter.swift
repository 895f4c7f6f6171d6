import Foundation
import KeepersCore
import KeepersHDF5
import KeepersImaging
import Synchronization

/// Writes one shard file. The layout is documented in docs/shards.md.
enum ShardWriter {
    /// Images decoded at once: enough to keep both cores busy decoding PNGs,
    /// few enough that memory stays bounded (8 x 460 KB at 320x480).
    static let decodeBatch = 8

    static func write(_ bucket: ShardPlan.Bucket, range: Range<Int>, plan: ShardPlan, layout: WorkLayout,
                      to url: URL, name: String, progress: KeepersCore.Progress) throws {
        let (h, w) = (bucket.height, bucket.width)
        let entries = Array(bucket.entries[range])
        let file = try HDF5File.create(at: url)
        let compression: HDF5Compression = plan.settings.compression == .gzip
            ? .gzip(level: plan.settings.gzipLevel, shuffle: true) : .none
        // One chunk per image: a random read touches exactly one chunk.
        let images = try file.createDataset("images", type: .uint8, shape: [entries.count, h, w, 3],
                                            storage: HDF5Storage(chunk: [1, h, w, 3], compression: compression))
        for start in stride(from: 0, to: entries.count, by: decodeBatch) {
            let batch = Array(entries[start..<min(start + decodeBatch, entries.count)])
            for (offset, image) in try decode(batch, layout: layout, height: h, width: w).enumerated() {
                try image.pixels.withUnsafeBufferPointer {
                    try images.write($0, start: [start + offset, 0, 0, 0], count: [1, h, w, 3])
                }
            }
            progress.advance(by: batch.count, detail: name)
        }
        try file.createDataset("labels", values: entries.map(\.label))
        try file.createDataset("ids", strings: entries.map(\.id))
        try file.createDataset("repeats", values: entries.map(\.repeat))
        if let backbone = plan.backbone {
            let rows = try entries.map { entry -> NumpyFile in
                let url = layout.storedFeatures(id: entry.id)
                do { return try NumpyFile(data: try Data(contentsOf: url), path: url.path) } catch {
                    throw KeepersError.io(path: url.path, reason: "backbone features missing or unreadable (rerun keepers-ingest): \(error)")
                }
            }
            let width = rows.first?.values.count ?? 0
            guard rows.allSatisfy({ $0.shape == [width] }) else {
                throw KeepersError.format(path: layout.ingestFeatures.path, reason: "backbone features of different lengths")
            }
            try file.createDataset("features", values: rows.flatMap(\.values), shape: [entries.count, width])
            try file.setAttribute("backbone", .string(backbone))
        }
        try file.setAttribute("schema_version", .int(ShardIndex.currentSchemaVersion))
        try file.setAttribute("split", .string(bucket.split.rawValue))
        try file.setAttribute("height", .int(h))
        try file.setAttribute("width", .int(w))
        try file.setAttribute("ingest_fingerprint", .string(plan.ingestFingerprint))
        try file.setAttribute("bucket_fingerprint", .string(bucket.fingerprint))
        try file.setAttribute("positive_class", .string(plan.positiveClass))
        try file.setAttribute("negative_class", .string(plan.negativeClass))
        try file.close()
    }

    /// Decodes stored PNGs in parallel (libvips is thread-safe; HDF5 work
    /// stays on the calling thread) and checks each has its manifest size.
    static func decode(_ entries: [ShardEntry], layout: WorkLayout, height: Int, width: Int) throws -> [RGBImage] {
        let results = Mutex<[Result<RGBImage, Error>?]>(Array(repeating: nil, count: entries.count))
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            let url = layout.storedImage(id: entries[i].id)
            let result = Result(catching: { () throws -> RGBImage in
                let image = try StoredImage.read(url)
                guard image.width == width, image.height == height else {
                    throw KeepersError.format(path: url.path,
                                              reason: "is \(image.width)x\(image.height), the manifest says \(width)x\(height)")
                }
                return image
            })
            results.withLock { $0[i] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}
