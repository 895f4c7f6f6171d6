/// The records ingest writes and every later stage reads. Field names are the
/// JSON keys of `manifest.jsonl` and `rejected.jsonl` (see docs/ingest.md).

public enum Split: String, Codable, Sendable, CaseIterable, Comparable {
    case train, val, test

    public static func < (a: Split, b: Split) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One accepted photo.
public struct ManifestEntry: Codable, Sendable, Equatable {
    /// First 16 hex digits of the SHA-256 of the source file's bytes; names the stored image.
    public var id: String
    /// Path of the source photo, relative to the photos folder.
    public var source: String
    /// Class name: the class folder the photo was found under (e.g. "good").
    public var label: String
    public var split: Split
    /// Size of the stored image in pixels.
    public var width: Int
    public var height: Int
    /// SHA-256 of the source file's bytes, lower-case hex.
    public var sha256: String
    /// Sampling weight in training (1 for val and test). A fractional repeat
    /// balances the classes exactly; the trainer samples in proportion to it.
    public var `repeat`: Double
    /// With `ingest.labels: xmp-rating`: the star rating the label came from,
    /// and where it was read (sidecar or embedded XMP). Absent for folder labels.
    public var rating: Int?
    public var labelSource: String?

    enum CodingKeys: String, CodingKey {
        case id, source, label, split, width, height, sha256, `repeat`, rating
        case labelSource = "label_source"
    }

    public init(id: String, source: String, label: String, split: Split, width: Int, height: Int,
                sha256: String, repeat: Double, rating: Int? = nil, labelSource: String? = nil) {
        self.rating = rating
        self.labelSource = labelSource
        self.id = id
        self.source = source
        self.label = label
        self.split = split
        self.width = width
        self.height = height
        self.sha256 = sha256
        self.repeat = `repeat`
    }
}

/// One refused input file.
public struct RejectedEntry: Codable, Sendable, Equatable {
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}
