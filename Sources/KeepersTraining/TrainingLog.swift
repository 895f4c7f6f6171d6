import Foundation
import KeepersCore

/// One line of `train/log.jsonl` (docs/formats.md, "train/log.jsonl"): keys
/// sorted, a value that is not finite written as null. Internal: the report
/// reads the file with its own public `KeepersReport.TrainingLogRow`, and a
/// second public type of that name would make importers of both qualify it.
struct TrainingLogRow: Codable, Equatable, Sendable {
    var step: Int
    var trainLoss: Double?
    var trainAccuracy: Double?
    var valLoss: Double?
    var valAccuracy: Double?
    var valAUC: Double?
    /// Training images per second over the steps since the previous row
    /// (batch reads and steps; validation time excluded). The only field that
    /// depends on the machine's speed rather than on the config.
    var imagesPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case step, trainLoss = "train_loss", trainAccuracy = "train_accuracy", valLoss = "val_loss"
        case valAccuracy = "val_accuracy", valAUC = "val_auc", imagesPerSecond = "images_per_second"
    }

    init(step: Int, trainLoss: Double? = nil, trainAccuracy: Double? = nil, valLoss: Double? = nil,
                valAccuracy: Double? = nil, valAUC: Double? = nil, imagesPerSecond: Double? = nil) {
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.valAUC = valAUC
        self.imagesPerSecond = imagesPerSecond
    }

    /// JSON has no NaN or infinity: such a value (a diverged loss) becomes null.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        let values: [(CodingKeys, Double?)] = [(.trainLoss, trainLoss), (.trainAccuracy, trainAccuracy), (.valLoss, valLoss),
                                               (.valAccuracy, valAccuracy), (.valAUC, valAUC), (.imagesPerSecond, imagesPerSecond)]
        for (key, value) in values {
            guard let value else { continue }
            if value.isFinite { try container.encode(value, forKey: key) } else { try container.encodeNil(forKey: key) }
        }
    }

    /// The row as one line of the log, without the line feed.
    var line: String { CanonicalJSON.string(self) }
}

/// `train/log.jsonl` while training runs: rows are appended as they are
/// made. The rows so far also travel in every checkpoint, so a resumed run
/// rewrites the file from them and its log is the uninterrupted run's.
struct TrainingLogFile {
    let url: URL

    /// Replaces the file with exactly `lines` (atomically), unless it holds
    /// them already: an unchanged file keeps its time stamp for make.
    func rewrite(_ lines: [String]) throws {
        let data = Data(lines.map { $0 + "\n" }.joined().utf8)
        if (try? Data(contentsOf: url)) != data { try AtomicFile.write(data, to: url) }
    }

    /// Adds one line. A crash mid-write can leave a torn last line; the next
    /// run rewrites the file from its checkpoint, so that does no harm.
    func append(_ line: String) throws {
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw KeepersError.io(path: url.path, reason: "cannot open the training log for appending")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw KeepersError.io(path: url.path, reason: "cannot append: \(error.localizedDescription)")
        }
    }
}
