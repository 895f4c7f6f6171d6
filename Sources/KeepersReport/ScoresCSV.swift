import Foundation

/// `scores.csv`: one row per test photo, `id,source,label,score`, highest
/// score first (ties by id, so equal inputs give identical bytes).
///
/// RFC 4180: CRLF line ends, and a field holding a comma, a double quote, CR
/// or LF is enclosed in double quotes with its quotes doubled. Source paths
/// are arbitrary file names, so all of these occur. The score is Swift's
/// shortest representation that parses back to the identical Double.
public enum ScoresCSV {
    public static let header = ["id", "source", "label", "score"]

    public static func encode(_ photos: [ScoredPhoto]) -> String {
        var lines = [row(header)]
        for photo in sortedByScore(photos) {
            lines.append(row([photo.id, photo.source, photo.label, "\(photo.score)"]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Score descending, then id ascending.
    public static func sortedByScore(_ photos: [ScoredPhoto]) -> [ScoredPhoto] {
        photos.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }

    static func row(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",")
    }

    static func quoted(_ field: String) -> String {
        // Unicode scalars, not Characters: "\r\n" is a single Character.
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
