/// The one CSV writer (`scores.csv`, keepers-predict's output), RFC 4180:
/// CRLF line ends, and a field holding a comma, a double quote, CR or LF is
/// enclosed in double quotes with its quotes doubled. File names may hold
/// any of these, so the test is on Unicode scalars: "\r\n" is one Swift
/// `Character`, equal to neither "\r" nor "\n".
public enum CSV {
    public static func encode(_ rows: [[String]]) -> String {
        rows.map(row).joined(separator: "\r\n") + "\r\n"
    }

    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
