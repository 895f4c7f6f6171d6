import Foundation
import KeepersBackbone
import KeepersCore
import KeepersCulling
import KeepersGroups
import KeepersImaging
import KeepersNetwork

/// One scored (or unreadable) photo.
public struct Prediction: Sendable, Equatable {
    public let path: String
    /// Probability of the positive class; nil when the photo could not be read.
    public let score: Double?
    public let error: String?
    /// What grouping needs: the capture time and the look of the photo.
    public var captured: CaptureTime?
    public var signature: VisualSignature?
    /// The burst this photo belongs to (1 = the group holding the best
    /// photo, 2 the next...) and its rank in it (1 = best); set by
    /// `PredictionGroups.assign`, nil for photos that could not be read.
    public var group: Int?
    public var rank: Int?
    /// The raw image statistics (when the model reads them or reasons need them).
    public var statistics: [Float]?
    /// The photo's thumbnail in the culling page's folder (with `--page`).
    public var thumbnail: PageThumbnail?
    /// What pulls the score down, strongest first (set by `PredictRun`).
    public var reasons: [Reason] = []

    public init(path: String, score: Double?, error: String?, captured: CaptureTime? = nil,
                signature: VisualSignature? = nil, statistics: [Float]? = nil) {
        self.path = path
        self.score = score
        self.error = error
        self.captured = captured
        self.signature = signature
        self.statistics = statistics
    }
}

/// Scores photos with a trained network, preprocessing them with exactly the
/// code ingest uses (`PhotoPreprocessor`), so a photo scores the same here as
/// in the report. Photos are decoded in parallel a chunk at a time (bounded
/// memory), then run through the network in batches of equal size.
public final class Predictor {
    let network: Network
    let preprocessor: PhotoPreprocessor
    let threads: Int
    public var batchSize = 4
    public var chunkSize = 64
    /// Larger files are refused unread (ingest's `max_file_bytes`).
    public var maxFileBytes = IngestSettings().maxFileBytes
    /// Compute every photo's image statistics even if the model does not read them (for reasons).
    public var computeStatistics = false
    /// Where thumbnails go, made from the decoded photo on its decoding thread; nil: none.
    public var page: PageFolder?

    /// The pretrained backbone whose features the network's `backbone` model reads (nil: none).
    let backbone: PretrainedBackbone?

    public init(network: Network, imageSettings: ImageSettings, maxPixels: Int, threads: Int = 0,
                backbone: PretrainedBackbone? = nil) throws {
        guard (network.backbone == nil) == (backbone == nil) else {
            throw KeepersError.invalidArgument(network.backbone == nil ? "a backbone for a model that reads none"
                                                                       : "the model reads backbone features: no backbone given")
        }
        self.network = network
        self.backbone = backbone
        preprocessor = try PhotoPreprocessor(settings: imageSettings, maxPixels: maxPixels)
        self.threads = resolvedThreadCount(threads)
    }

    public func score(_ files: [URL], context: StageContext) throws -> [Prediction] {
        try score(files, context: context, journal: nil)
    }

    /// With a journal, photos it already holds (unchanged since) are not
    /// scored again, and each chunk's results are appended to it before the
    /// next chunk starts. Chunks are cut from the whole list either way, so a
    /// resumed run batches its photos exactly as an uninterrupted one.
    func score(_ files: [URL], context: StageContext, journal: PredictJournal?) throws -> [Prediction] {
        var predictions: [Prediction?] = files.map { journal?.reusable($0.path) }
        let reused = predictions.count { $0 != nil }
        if let journal, reused > 0 {
            context.say("keepers-predict: resuming: \(reused) of \(files.count) photos already scored (\(journal.url.path))")
        }
        let progress = context.progress("predict", total: files.count - reused, unit: "photos")
        for start in stride(from: 0, to: files.count, by: chunkSize) {
            let pending = (start..<min(start + chunkSize, files.count)).filter { predictions[$0] == nil }
            guard !pending.isEmpty else { continue }
            // Read before decoding: a photo changed meanwhile is scored again next time.
            let signatures = pending.map { FileSignature(path: BytePath(escaped: files[$0].path).bytes) }
            let scored = try scoreChunk(pending.map { files[$0] })
            try journal?.record(scored, signatures: signatures)
            for (index, prediction) in zip(pending, scored) { predictions[index] = prediction }
            MallocArenas.returnFreePages()
            progress.advance(by: pending.count)
        }
        progress.finish()
        return predictions.map { $0! }
    }

    /// A decoded photo and what is computed from it alone, on the decoding
    /// thread: the image statistics the head needs (one thread for them at
    /// batch time would leave the other core idle) and grouping's signature.
    private struct Prepared: Sendable {
        let image: RGBImage
        let clock: CameraClock?
        let statistics: [Float]?
        let signature: VisualSignature
        let thumbnail: PageThumbnail?
    }

    private func scoreChunk(_ files: [URL]) throws -> [Prediction] {
        let preprocessor = self.preprocessor
        let maxFileBytes = self.maxFileBytes
        let usesStatistics = network.usesStatistics
        let needsStatistics = usesStatistics || computeStatistics
        let page = self.page
        if threads > 1 { Vips.setConcurrency(1) }
        let decoded: [Result<Prepared, Error>] = parallelMap(count: files.count, threads: threads) { index in
            Result {
                let bytes = try PhotoBytes.read(files[index].path, maxBytes: maxFileBytes)
                let (image, clock) = try preprocessor.processWithClock(bytes)
                // The normalised floats are not kept (four times the pixels'
                // bytes for every photo of the chunk); the batch normalises again.
                let statistics = needsStatistics ? Self.normalisedBatch([image]).withUnsafeBufferPointer {
                    ImageStatistics.compute($0.baseAddress!, height: image.height, width: image.width)
                } : nil
                return Prepared(image: image, clock: clock, statistics: statistics,
                                signature: VisualSignature(rgb: image.pixels, width: image.width, height: image.height),
                                // A thumbnail that cannot be written (disk full) is missing
                                // from the page, whose own write then fails; the score stands.
                                thumbnail: try? page?.thumbnail(of: image, photoBytes: bytes))
            }
        }
        // A fault of the machine is not the photo's: stop, record nothing against it.
        for case let .failure(error as EnvironmentFault) in decoded { throw error }
        var scores = [Double?](repeating: nil, count: files.count)
        var groups: [[Int]: [Int]] = [:]
        for (index, result) in decoded.enumerated() {
            if case let .success(prepared) = result { groups[[prepared.image.height, prepared.image.width], default: []].append(index) }
        }
        // Largest shape first: the network's buffers then grow once a chunk
        // rather than once per shape, each growth leaving the smaller
        // buffers behind in the heap. Scores do not depend on the order.
        for key in groups.keys.sorted(by: { a, b in a[0] * a[1] != b[0] * b[1] ? a[0] * a[1] > b[0] * b[1] : a[0] < b[0] }) {
            let members = groups[key]!
            for batchStart in stride(from: 0, to: members.count, by: batchSize) {
                let batch = members[batchStart..<min(batchStart + batchSize, members.count)].map { try! decoded[$0].get() }
                let statistics = usesStatistics ? batch.map { $0.statistics! } : nil
                // Batch by batch, shape by shape, as the backbone keeps a plan per shape.
                let features = try backbone.map { backbone in
                    try batch.flatMap { try backbone.features(pixels: $0.image.pixels, height: $0.image.height, width: $0.image.width) }
                }
                let logits = try network.predictLogits(input: Self.normalisedBatch(batch.map(\.image)), batch: batch.count,
                                                       height: key[0], width: key[1], statistics: statistics,
                                                       backboneFeatures: features)
                for (member, logit) in zip(members[batchStart...], logits) { scores[member] = Self.probability(logit) }
            }
        }
        return files.indices.map { index in
            switch decoded[index] {
            case let .success(prepared):
                var prediction = Prediction(
                    path: files[index].path, score: scores[index], error: nil,
                    captured: prepared.clock.flatMap { CaptureTime(exifDateTime: $0.dateTime, subSeconds: $0.subSeconds) },
                    signature: prepared.signature, statistics: prepared.statistics)
                prediction.thumbnail = prepared.thumbnail
                return prediction
            case let .failure(error): return Prediction(path: files[index].path, score: nil, error: "\(error)")
            }
        }
    }

    /// The images (all of one size) as one normalised NCHW batch, written
    /// in place: gathering per-image arrays held each image twice and grew
    /// the batch by copying.
    static func normalisedBatch(_ images: [RGBImage]) -> [Float] {
        let size = images.first.map { 3 * $0.height * $0.width } ?? 0
        return [Float](unsafeUninitializedCapacity: size * images.count) { batch, count in
            for (index, image) in images.enumerated() {
                image.pixels.withUnsafeBufferPointer { pixels in
                    InputNormalisation.normalise(pixels, height: image.height, width: image.width, flip: false,
                                                 into: UnsafeMutableBufferPointer(rebasing: batch[(index * size)..<((index + 1) * size)]))
                }
            }
            count = size * images.count
        }
    }

    /// The probability of the positive class, computed in Double.
    public static func probability(_ logit: Float) -> Double { sigmoid(Double(logit)) }
}
