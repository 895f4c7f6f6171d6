import Foundation

/// One line of `train/log.jsonl` (format in docs/formats.md): the trainer
/// writes a line every `eval_every` steps; the report reads them.
///
/// Every value is optional: a value that is not finite (a diverged loss) is
/// written as null, since JSON has no NaN. Readers leave missing values out
/// rather than treating them as zero.
public struct TrainingLogRow: Codable, Sendable, Equatable {
    /// Steps (batches) completed when the line was written, from 1.
    public var step: Int
    /// Moving average of the training batch loss over the last `average_window` steps.
    public var trainLoss: Double?
    /// Moving average of the training batch accuracy (at 0.5), same window.
    public var trainAccuracy: Double?
    /// Mean cross-entropy over the whole validation split.
    public var valLoss: Double?
    /// Accuracy at 0.5 over the validation split.
    public var valAccuracy: Double?
    /// ROC AUC over the validation split.
    public var valAUC: Double?
    /// Training images per second over the steps since the previous row
    /// (batch reads and steps; validation time excluded). The only field that
    /// depends on the machine's speed rather than on the config.
    public var imagesPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case step, trainLoss = "train_loss", trainAccuracy = "train_accuracy", valLoss = "val_loss"
        case valAccuracy = "val_accuracy", valAUC = "val_auc", imagesPerSecond = "images_per_second"
    }

    public init(step: Int, trainLoss: Double? = nil, trainAccuracy: Double? = nil, valLoss: Double? = nil,
                valAccuracy: Double? = nil, valAUC: Double? = nil, imagesPerSecond: Double? = nil) {
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.valAUC = valAUC
        self.imagesPerSecond = imagesPerSecond
    }

    /// JSON has no NaN or infinity: such a value becomes null.
    public func encode(to encoder: Encoder) throws {
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
    public var line: String { CanonicalJSON.string(self) }

    /// Reads train/log.jsonl; errors name the file and line.
    public static func read(from url: URL) throws -> [TrainingLogRow] {
        try JSONLines.read(TrainingLogRow.self, from: url)
    }
}
