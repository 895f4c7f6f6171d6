import Foundation
import KeepersCore

/// Writes Keepers' verdict into photos' XMP sidecars for Lightroom,
/// darktable, digiKam, Capture One and Immich: `xmp:Rating` (stars),
/// `xmp:Label` on keepers, `keepers:Score`. Everything else an existing
/// sidecar holds (edit history, keywords, other namespaces) is kept; a
/// sidecar whose fields already hold these values is not rewritten, so a
/// second run changes no byte. Photos themselves are never opened for writing.
public struct SidecarWriter: Sendable {
    public var naming = SidecarName.full
    public var scale: StarScale
    /// Photos scoring at least this get `label`.
    public var threshold: Double
    /// The colour label for keepers (e.g. "Green"); nil writes none.
    public var label: String?

    public init(scale: StarScale, threshold: Double, label: String?) {
        self.scale = scale
        self.threshold = threshold
        self.label = label
    }

    /// The fields Keepers owns, as (namespace, name).
    static let rating = (XMPPacket.xmpNamespace, "Rating")
    static let labelField = (XMPPacket.xmpNamespace, "Label")
    static let score = (XMPPacket.keepersNamespace, "Score")

    /// Updates (or, with `dryRun`, only computes the update of) one photo's
    /// sidecar. `outranked`: the photo is a burst sibling of a better one
    /// (`keepers-predict --best-of-group`), so it gets at most `outranked`
    /// stars, and no keeper label.
    public func update(photo: URL, score: Double, outranked: Int? = nil, dryRun: Bool = false) throws -> SidecarChange {
        let sidecar = naming.url(for: photo)
        let packet: XMPPacket
        var isNew = false
        if let data = try SidecarFile.read(sidecar) {
            packet = try XMPPacket(parsing: data, path: sidecar.path)
        } else {
            packet = try XMPPacket(path: sidecar.path)
            isNew = true
        }
        let before = Self.fields(packet)
        let stars = min(scale.stars(score), outranked ?? 5)
        try packet.set(Self.rating.0, Self.rating.1, String(max(1, stars)))
        try packet.set(Self.score.0, Self.score.1, String(format: "%.6f", score))
        if score >= threshold, outranked == nil, let label {
            try packet.set(Self.labelField.0, Self.labelField.1, label)
        } else if let label, before[1] == label, before[2] != nil {
            // Keepers gave this label on an earlier run (the sidecar holds its
            // score) and the photo no longer earns it; a label the
            // photographer set is left alone.
            try packet.set(Self.labelField.0, Self.labelField.1, nil)
        }
        let change = SidecarChange(sidecar: sidecar, isNew: isNew, before: before, after: Self.fields(packet))
        if change.changed && !dryRun {
            do { try AtomicFile.write(try packet.sidecarBytes(), to: BytePath(escaped: sidecar.path)) } catch {
                throw KeepersError.io(path: sidecar.path, reason: "cannot write: \(error)")
            }
        }
        return change
    }

    /// Rating, label, score.
    static func fields(_ packet: XMPPacket) -> [String?] {
        [rating, labelField, score].map { packet[$0.0, $0.1] }
    }
}

/// What an update did (or, in a dry run, would do) to one sidecar.
public struct SidecarChange: Sendable, Equatable, CustomStringConvertible {
    public let sidecar: URL
    public let isNew: Bool
    /// Rating, label and score before and after.
    public let before: [String?]
    public let after: [String?]

    public var changed: Bool { before != after }

    public var description: String {
        guard changed else { return "\(sidecar.path): unchanged" }
        let parts = zip(["rating", "label", "score"], zip(before, after)).compactMap { name, values in
            values.0 == values.1 ? nil : "\(name) \(values.0 ?? "(none)") -> \(values.1 ?? "(none)")"
        }
        return "\(sidecar.path): \(isNew ? "new, " : "")\(parts.joined(separator: ", "))"
    }
}
