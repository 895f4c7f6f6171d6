import Foundation
import KeepersMetrics

/// The decision threshold the report chose (Youden's J on the test split),
/// read from `report/metrics.json` next to the model's `train/` folder.
public enum ReportThreshold {
    public static func read(besideModel model: URL) -> Double? {
        let metrics = model.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("report/metrics.json")
        guard let data = try? Data(contentsOf: metrics),
              let summary = try? JSONDecoder().decode(MetricsSummary.self, from: data) else { return nil }
        return summary.youdenThreshold
    }
}
