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

    public init(id: String, source: String, label: String, split: Split, width: Int, height: Int,
                sha256: String, repeat: Double) {
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
