/// Escapes text for XML and HTML, in element content and in quoted
/// attribute values alike, so one function serves SVG, the report page and
/// the Pango markup that libvips renders text from.
///
/// Control characters other than tab, newline and carriage return are not
/// allowed in XML 1.0 even as references; they become U+FFFD so a stray byte
/// in a file name cannot make a chart unreadable.
public func escapeMarkup(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
            out += "\u{FFFD}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
