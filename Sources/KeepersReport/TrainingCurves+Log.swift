import Foundation
import KeepersCharts
import KeepersCore

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
