/// Which pretrained weights made a set of features: the backbone's name and
/// the SHA-256 of the original weights file. Features of two identities are
/// never mixed: ingest recomputes, and predict refuses a model trained on
/// other features.
public struct BackboneIdentity: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let name: String
    public let weightsSHA256: String

    public init(name: String, weightsSHA256: String) {
        self.name = name
        self.weightsSHA256 = weightsSHA256
    }

    /// "efficientnet-lite0 (weights 57934424c0a1)".
    public var description: String { "\(name) (weights \(weightsSHA256.prefix(12)))" }

    /// A file-name-safe key: "efficientnet-lite0-57934424c0a1".
    public var key: String { "\(name)-\(weightsSHA256.prefix(12))" }
}
