/// How ingest and predict group photos into bursts (`ingest.groups`,
/// docs/groups.md has the rule and how the thresholds were chosen).
public struct GroupSettings: Codable, Sendable, Equatable {
    /// False: every photo is a group of its own (splits as before groups existed).
    public var enabled = true
    /// Photos whose capture times are at most this far apart may be one burst.
    public var gapSeconds = 2.0
    /// Least visual similarity (`VisualSignature`, -1...1) that links two
    /// photos taken within the gap...
    public var similarity = 0.4
    /// ...and a photo without a capture time to another of its folder.
    public var similarityUntimed = 0.5
    /// True: every sub-folder below a class folder (a trip, a shoot, or the
    /// crops of one source photograph) is kept whole in one split, beside
    /// the bursts; photos directly in a class folder split by burst alone.
    public var wholeFolders = false
    public init() {}
}
