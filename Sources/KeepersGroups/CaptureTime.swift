import Foundation

/// When a photo was taken, as the camera's clock read it: EXIF
/// `DateTimeOriginal` with `SubSecTimeOriginal`. EXIF times carry no zone
/// (`OffsetTimeOriginal` is rare and only sometimes right), so the wall
/// clock is compared as it is: frames of one burst come from one camera and
/// one clock, and a gap of seconds is all grouping asks of it.
public struct CaptureTime: Comparable, Hashable, Sendable {
    /// Milliseconds from 1970-01-01 00:00:00 to this wall-clock reading, both in the camera's zone.
    public let milliseconds: Int64
    /// The manifest's form, "2024-05-01T12:34:56.300" (no zone, see above).
    public let text: String

    /// From EXIF `DateTimeOriginal` ("2024:05:01 12:34:56") and the digits
    /// of `SubSecTimeOriginal` ("3", "30", "300" all mean 0.3 s). Nil for a
    /// blank or impossible clock ("0000:00:00 00:00:00", the unset default).
    public init?(exifDateTime: String, subSeconds: String? = nil) {
        let fraction = subSeconds.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        self.init(parsing: exifDateTime.trimmingCharacters(in: .whitespaces), fraction: fraction)
    }

    /// From the manifest's form (`text`).
    public init?(text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        self.init(parsing: String(parts.first ?? ""), fraction: parts.count > 1 ? String(parts[1]) : "")
    }

    public static func < (a: CaptureTime, b: CaptureTime) -> Bool { a.milliseconds < b.milliseconds }

    private init?(parsing clock: String, fraction: String) {
        // "YYYY:MM:DD HH:MM:SS", also with "-" in the date or "T" between.
        let bytes = Array(clock.utf8)
        guard bytes.count == 19, [4, 7].allSatisfy({ bytes[$0] == 0x3A || bytes[$0] == 0x2D }),
              bytes[10] == 0x20 || bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let digits = fraction.utf8.prefix { (0x30...0x39).contains($0) }
        guard digits.count == fraction.utf8.count else { return nil }
        let millis = (Array(digits.prefix(3)) + Array(repeating: 0x30, count: max(0, 3 - digits.count)))
            .reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        milliseconds = ((Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000) + Int64(millis)
        text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", year, month, day, hour, minute, second, millis)
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's
    /// `days_from_civil`). Written out because Foundation's Calendar silently
    /// rolls an impossible date over and costs an allocation per call.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
