import Foundation
import KeepersCore

/// The CSV `keepers-predict` writes: `path,score,error`, best first; photos
/// that could not be read come last with an empty score and the reason.
public enum PredictionOutput {
    public static func sorted(_ predictions: [Prediction]) -> [Prediction] {
        predictions.sorted { a, b in
            switch (a.score, b.score) {
            case let (x?, y?): return x != y ? x > y : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
            }
        }
    }

    public static func csv(_ predictions: [Prediction]) -> String {
        var lines = ["path,score,error"]
        for p in predictions {
            lines.append([field(p.path), p.score.map { String(format: "%.6f", $0) } ?? "", field(p.error ?? "")]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// True for any directory entry, a dangling symbolic link included.
    static func entryExists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Links (or copies) the photos scoring at least `threshold` into `folder`.
    /// Name clashes get a numeric suffix; nothing is overwritten.
    public static func keep(_ predictions: [Prediction], threshold: Double, into folder: URL, copy: Bool) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var kept = 0
        for prediction in predictions {
            guard let score = prediction.score, score >= threshold else { continue }
            let source = URL(fileURLWithPath: prediction.path)
            var target = folder.appendingPathComponent(source.lastPathComponent)
            var suffix = 1
            // Keep going past names taken by other photos; a rerun finds its own link.
            while entryExists(target), (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) != source.path {
                target = folder.appendingPathComponent(
                    "\(source.deletingPathExtension().lastPathComponent)-\(suffix).\(source.pathExtension)")
                suffix += 1
            }
            if !entryExists(target) {
                if copy {
                    try FileManager.default.copyItem(at: source, to: target)
                } else {
                    try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: source.path)
                }
            }
            kept += 1
        }
        return kept
    }
}
