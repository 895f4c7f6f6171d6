import Foundation

/// The camera's clock at the moment of capture, as EXIF records it: the
/// `DateTimeOriginal` text ("2024:05:01 12:34:56") and the digits of
/// `SubSecTimeOriginal`. Read from the header; no pixels are decoded.
public struct CameraClock: Sendable, Equatable {
    public let dateTime: String
    public let subSeconds: String?

    public init(dateTime: String, subSeconds: String?) {
        self.dateTime = dateTime
        self.subSeconds = subSeconds
    }

    /// The clock of an encoded photo; nil when it records none or cannot be read.
    public static func read(_ bytes: Data) -> CameraClock? {
        guard !bytes.isEmpty else { return nil }
        return bytes.withUnsafeBytes { raw in
            if PhotoPreprocessor.mayBeRaw(raw), let file = RawFile(raw) { return file.cameraClock }
            return Vips.shared {
                guard (try? Vips.loaderName(raw)) != nil, let header = try? VipsHandle.header(raw) else { return nil }
                return read(header)
            }
        }
    }

    /// From libvips' parsed EXIF fields ("exif-ifd2-..."), whose values read
    /// "2024:05:01 12:34:56 (2024:05:01 12:34:56, ASCII, 20 components, 20 bytes)".
    static func read(_ header: VipsHandle) -> CameraClock? {
        guard let dateTime = header.exifText("exif-ifd2-DateTimeOriginal") else { return nil }
        return CameraClock(dateTime: dateTime, subSeconds: header.exifText("exif-ifd2-SubSecTimeOriginal"))
    }
}

extension RawFile {
    /// LibRaw turns the EXIF capture time into a time_t with the machine's
    /// `mktime` (local zone); `localtime_r` gives the camera's wall clock
    /// back. LibRaw keeps no sub-seconds.
    var cameraClock: CameraClock? {
        var stamp = time_t(rawTimestamp)
        guard stamp > 0 else { return nil }
        var fields = tm()
        guard localtime_r(&stamp, &fields) != nil else { return nil }
        let text = String(format: "%04d:%02d:%02d %02d:%02d:%02d", fields.tm_year + 1900, fields.tm_mon + 1,
                          fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec)
        return CameraClock(dateTime: text, subSeconds: nil)
    }
}
