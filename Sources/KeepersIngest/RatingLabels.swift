import Foundation
import KeepersCore
import KeepersXMP

/// `ingest.labels: xmp-rating`: a photo's label is the star rating the
/// photographer already gave it in Lightroom, darktable, digiKam..., read
/// from its XMP sidecars (both names, docs/ingest.md) and the XMP embedded in
/// it, and in its RAW+JPEG partner's. Unrated photos and ratings between the
/// two thresholds are left out; sources that disagree refuse the photo.
struct RatingLabels {
    let root: URL
    let settings: IngestSettings

    func apply(_ scan: ScanResult) -> ScanResult {
        var result = scan
        result.candidates = []
        for var candidate in scan.candidates {
            do {
                let readings = try self.readings(candidate)
                candidate.label = try agreedLabel(readings)
                candidate.rating = readings[0].rating
                candidate.labelSource = readings.map(\.source).joined(separator: ", ")
                result.candidates.append(candidate)
            } catch {
                result.rejected.append(RejectedEntry(source: candidate.source, reason: "\(error)"))
            }
        }
        return result.sorted()
    }

    /// The label every reading gives; throws why the photo is left out.
    func agreedLabel(_ readings: [(source: String, rating: Int)]) throws -> String {
        guard let first = readings.first else { throw Refusal("left out: no star rating") }
        guard Set(readings.map { label($0.rating) ?? "" }).count == 1 else {
            throw Refusal("conflicting ratings: " + readings.map { "\($0.source): \($0.rating)" }.joined(separator: ", "))
        }
        guard let label = label(first.rating) else {
            throw Refusal("left out: rating \(first.rating) is neither good (\(settings.ratingGood)-5) nor bad (1-\(settings.ratingBad))")
        }
        return label
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The class a rating gives, or nil for left out. -1 is darktable's "rejected".
    func label(_ rating: Int) -> String? {
        if rating >= settings.ratingGood { return settings.positive }
        if rating == -1 || (1...settings.ratingBad).contains(rating) { return settings.negative }
        return nil
    }

    /// Every rating found, sidecars first; 0 and absent mean unrated and are skipped.
    func readings(_ candidate: CandidateFile) throws -> [(source: String, rating: Int)] {
        var readings: [(source: String, rating: Int)] = []
        var seen = Set<String>()
        for relative in [candidate.relativePath] + (candidate.partner.map { [$0] } ?? []) {
            let name = String(decoding: relative, as: UTF8.self)
            let photo = root.appendingPathComponent(name)
            for naming in SidecarName.allCases {
                let sidecar = naming.url(for: photo)
                guard seen.insert(sidecar.path).inserted, let data = try SidecarFile.read(sidecar) else { continue }
                let packet = try XMPPacket(parsing: data, path: sidecar.path)
                if let rating = try Self.rating(packet, path: sidecar.path) {
                    readings.append(("sidecar " + naming.path(for: name), rating))
                }
            }
            if let packet = try XMPPacket.embedded(in: photo), let rating = try Self.rating(packet, path: photo.path) {
                readings.append(("embedded in " + name, rating))
            }
        }
        return readings
    }

    static func rating(_ packet: XMPPacket, path: String) throws -> Int? {
        guard let text = packet[XMPPacket.xmpNamespace, "Rating"] else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value == value.rounded(), (-1...5).contains(value) else {
            throw KeepersError.format(path: path, reason: "xmp:Rating is '\(text)', expected -1, 0 or 1 to 5")
        }
        return Int(value) == 0 ? nil : Int(value)
    }
}
