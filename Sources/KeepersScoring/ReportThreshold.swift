import Foundation

/// The decision threshold the report chose (Youden's J on the test split),
/// read from `report/metrics.json` next to the model's `train/` folder.
public enum ReportThreshold {
    public static func read(besideModel model: URL) -> Double? {
        let metrics = model.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("report/metrics.json")
        guard let data = try? Data(contentsOf: metrics),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["youden_threshold"] as? Double
    }
}
