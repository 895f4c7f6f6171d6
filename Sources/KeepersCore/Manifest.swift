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
    /// The burst this photo belongs to, named after its member with the
    /// smallest id (a photo alone is its own group); the whole group has one
    /// split (docs/groups.md).
    public var group: String
    /// The capture time from EXIF, "2024-05-01T12:34:56.300" (camera clock,
    /// no zone); absent when the photo records none.
    public var captured: String?

    enum CodingKeys: String, CodingKey {
        case id, source, label, split, width, height, sha256, `repeat`, rating, group, captured
        case labelSource = "label_source"
    }

    public init(id: String, source: String, label: String, split: Split, width: Int, height: Int,
                sha256: String, repeat: Double, rating: Int? = nil, labelSource: String? = nil,
                group: String? = nil, captured: String? = nil) {
        self.group = group ?? id
        self.captured = captured
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

    /// Manifests written before groups existed read as one group per photo.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        source = try c.decode(String.self, forKey: .source)
        label = try c.decode(String.self, forKey: .label)
        split = try c.decode(Split.self, forKey: .split)
        width = try c.decode(Int.self, forKey: .width)
        height = try c.decode(Int.self, forKey: .height)
        sha256 = try c.decode(String.self, forKey: .sha256)
        `repeat` = try c.decode(Double.self, forKey: .repeat)
        rating = try c.decodeIfPresent(Int.self, forKey: .rating)
        labelSource = try c.decodeIfPresent(String.self, forKey: .labelSource)
        group = try c.decodeIfPresent(String.self, forKey: .group) ?? id
        captured = try c.decodeIfPresent(String.self, forKey: .captured)
    }
}

/// How many groups (bursts) a manifest holds and how large the largest is.
public struct GroupCounts: Codable, Sendable, Equatable {
    public var groups: Int
    public var largest: Int
    /// Groups of more than one photo, and the photos in them.
    public var bursts: Int
    public var photosInBursts: Int

    enum CodingKeys: String, CodingKey {
        case groups, largest, bursts
        case photosInBursts = "photos_in_bursts"
    }

    public init(_ entries: [ManifestEntry]) {
        var sizes: [String: Int] = [:]
        for entry in entries { sizes[entry.group, default: 0] += 1 }
        groups = sizes.count
        largest = sizes.values.max() ?? 0
        bursts = sizes.values.filter { $0 > 1 }.count
        photosInBursts = sizes.values.filter { $0 > 1 }.reduce(0, +)
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
