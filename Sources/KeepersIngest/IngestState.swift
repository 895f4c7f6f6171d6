import Foundation
import KeepersCore
import KeepersGroups

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
        /// signature's cells. A record without a signature predates groups:
        /// its photo is looked at again (not decoded, see FileProcessor).
        var captured: String?
        var signature: SignatureCells?

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
        try AtomicFile.write(to: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw KeepersError.io(path: temporary.path, reason: String(cString: strerror(errno)))
            }
            defer { try? handle.close() }
            try encodeInPieces { try handle.write(contentsOf: $0) }
        }
    }

    /// The bytes of `CanonicalJSON.encode(self)` (keys sorted, no spaces),
    /// handed out a few hundred records at a time: encoding a whole library's
    /// state at once held about 3.4 KB a photo at the end of ingest, more
    /// than any other moment of the run (docs/groups.md).
    func encodeInPieces(recordsPerPiece: Int = 256, _ emit: (Data) throws -> Void) throws {
        var piece = Data("{\"files\":[".utf8)
        for (index, record) in files.enumerated() {
            if index > 0 { piece.append(UInt8(ascii: ",")) }
            piece.append(CanonicalJSON.encode(record))
            if (index + 1) % recordsPerPiece == 0 {
                try emit(piece)
                piece = Data()
            }
        }
        piece.append(Data("],\"schema\":\(schema),\"settings\":".utf8))
        piece.append(CanonicalJSON.encode(settings))
        piece.append(UInt8(ascii: "}"))
        try emit(piece)
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

/// A visual signature's cells as ingest keeps them: base64 in the state
/// file, bytes in memory. Grouping's `VisualSignature` then shares these
/// bytes; keeping the base64 text instead held 1.4 KB a photo until the end
/// of ingest, and a decoded copy of the cells 1 KB more.
struct SignatureCells: Codable, Equatable {
    let bytes: [UInt8]

    init(_ signature: VisualSignature) { bytes = signature.cells }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var signature: VisualSignature { VisualSignature(cells: bytes) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(VisualSignature.base64(cells: bytes))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let cells = VisualSignature.cells(base64: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a visual signature's cells in base64")
        }
        bytes = cells
    }
}
