import Foundation
import KeepersCharts
import KeepersCore

/// One line of `train/log.jsonl` (format in docs/formats.md). The trainer
/// writes a line every `evalEvery` steps; the report only reads them.
///
/// Every value is optional: validation fields are absent on lines written
/// without a validation pass, and a value that is not finite (a diverged
/// loss) is written as null, since JSON has no NaN. Missing values are left
/// out of the chart rather than drawn as zero.
public struct TrainingLogRow: Codable, Sendable, Equatable {
    /// Steps (batches) completed when the line was written, from 1.
    public var step: Int
    /// Moving average of the training batch loss over the last `averageWindow` steps.
    public var trainLoss: Double?
    /// Moving average of the training batch accuracy (at 0.5), same window.
    public var trainAccuracy: Double?
    /// Mean cross-entropy over the whole validation split.
    public var valLoss: Double?
    /// Accuracy at 0.5 over the validation split.
    public var valAccuracy: Double?
    /// ROC AUC over the validation split.
    public var valAUC: Double?

    enum CodingKeys: String, CodingKey {
        case step
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case valLoss = "val_loss"
        case valAccuracy = "val_accuracy"
        case valAUC = "val_auc"
    }

    public init(step: Int, trainLoss: Double? = nil, trainAccuracy: Double? = nil, valLoss: Double? = nil,
                valAccuracy: Double? = nil, valAUC: Double? = nil) {
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.valAUC = valAUC
    }

    /// Reads train/log.jsonl; errors name the file and line.
    public static func read(from url: URL) throws -> [TrainingLogRow] {
        try JSONLines.read(TrainingLogRow.self, from: url)
    }
}

extension TrainingCurves {
    /// The training figure's series from the log; rows lacking a value (or
    /// holding a non-finite one) drop out of that series only.
    public init(log: [TrainingLogRow], smoothingWindow: Int) {
        func series(_ value: KeyPath<TrainingLogRow, Double?>) -> [(batch: Double, value: Double)] {
            log.compactMap { row in
                guard let v = row[keyPath: value], v.isFinite else { return nil }
                return (Double(row.step), v)
            }
        }
        self.init(loss: series(\.trainLoss), accuracy: series(\.trainAccuracy),
                  validationAUC: series(\.valAUC), validationAccuracy: series(\.valAccuracy),
                  validationLoss: series(\.valLoss), smoothingWindow: smoothingWindow)
    }
}
