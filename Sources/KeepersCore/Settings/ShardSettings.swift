// Shard settings (`shards:`; docs/config.md).

public enum ShardCompression: String, Codable, Sendable, CaseIterable {
    case none, gzip
}

public struct ShardSettings: Codable, Sendable, Equatable {
    /// A bucket (split, height, width) is split into files of at most this many images...
    public var maxImages = 2048
    /// ...and at most this many bytes of pixels.
    public var maxBytes = 1 << 30
    public var compression = ShardCompression.none
    public var gzipLevel = 1
    public init() {}
}
