import Foundation
import KeepersCore

/// What ingest remembers between runs (`ingest/state.json`, internal): for
/// every file seen, its size and modification time when last processed and
/// the outcome, so a rerun decodes only new or changed files. The settings
/// fingerprint invalidates everything when the image settings change.
struct IngestState: Codable {
    static let schema = 1

    struct FileRecord: Codable, Equatable {
        /// Relative path bytes, base64 (names need not be UTF-8).
        var path: String
        var size: Int64
        var mtimeNanoseconds: Int64
        var sha256: String
        /// Stored image size when accepted; nil when refused.
        var width: Int?
        var height: Int?
        var reason: String?
        /// What grouping needs (accepted photos): the capture time
        /// (`CaptureTime.text`, nil when the photo has none) and the visual
        /// signature's cells, base64. A record without a signature predates
        /// groups: its photo is looked at again (not decoded, see FileProcessor).
        var captured: String?
        var signature: String?

        enum CodingKeys: String, CodingKey {
            case path, size, sha256, width, height, reason, captured, signature
            case mtimeNanoseconds = "mtime_ns"
        }
    }

    var schema = Self.schema
    var settings: String
    var files: [FileRecord]

    static func load(from url: URL, settings: String) -> IngestState {
        guard let data = try? Data(contentsOf: url),
              let state = try? JSONDecoder().decode(IngestState.self, from: data),
              state.schema == schema, state.settings == settings
        else { return IngestState(settings: settings, files: []) }
        return state
    }

    func write(to url: URL) throws {
        try AtomicFile.write(CanonicalJSON.encode(self), to: url)
    }

    /// Records by raw path, for lookups that do not merge Unicode-equivalent names.
    func recordsByPath() -> [Data: FileRecord] {
        var map: [Data: FileRecord] = [:]
        for record in files {
            if let key = Data(base64Encoded: record.path) { map[key] = record }
        }
        return map
    }
}
