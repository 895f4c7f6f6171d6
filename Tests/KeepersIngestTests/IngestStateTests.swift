import Foundation
import KeepersCore
import Testing
@testable import KeepersIngest

/// The state file written in pieces is byte for byte the JSON of the whole
/// state at once, at every size around the piece boundary, and reads back.
@Suite struct IngestStateTests {
    static func record(_ index: Int) -> IngestState.FileRecord {
        let path: String = Data("photos/good/\(index) \u{1F4F7}.jpg".utf8).base64EncodedString()
        let signature = index % 4 == 0 ? nil : SignatureCells(bytes: [UInt8](repeating: UInt8(index % 256), count: 1024))
        let reason: String? = index % 5 == 0 ? "not an image: \(index)" : nil
        let captured: String? = index % 2 == 0 ? "2026-12-07T10:00:0\(index % 10)" : nil
        let width: Int? = index % 3 == 0 ? nil : 480
        return IngestState.FileRecord(path: path, size: Int64(1000 + index),
                                      mtimeNanoseconds: 1_700_000_000_000_000_000 + Int64(index),
                                      sha256: String(repeating: "ab", count: 32), width: width, height: 320,
                                      reason: reason, captured: captured, signature: signature)
    }

    static func state(records: Int) -> IngestState {
        IngestState(settings: "fingerprint \"quoted\" / é", files: (0..<records).map(record))
    }

    @Test(arguments: [0, 1, 2, 255, 256, 257, 600])
    func piecesAreTheWholeEncoding(records: Int) throws {
        let state = Self.state(records: records)
        var pieces = Data()
        var count = 0
        try state.encodeInPieces { pieces.append($0); count += 1 }
        #expect(pieces == CanonicalJSON.encode(state))
        #expect(count == records / 256 + 1)
    }

    @Test func theWrittenFileLoadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("state.json")
        let state = Self.state(records: 300)
        try state.write(to: url)
        #expect(try Data(contentsOf: url) == CanonicalJSON.encode(state))
        #expect(IngestState.load(from: url, settings: state.settings).files == state.files)
    }

    /// Signatures are base64 strings in the file, and a wrong-sized one is
    /// refused (the state is then rebuilt) rather than read.
    @Test func signaturesAreBase64AndWrongSizesAreRefused() throws {
        let cells = SignatureCells(bytes: (0..<1024).map { UInt8($0 % 251) })
        let json = CanonicalJSON.encode([cells])
        #expect(json == Data("[\"\(Data(cells.bytes).base64EncodedString())\"]".utf8))
        #expect(try JSONDecoder().decode([SignatureCells].self, from: json) == [cells])
        #expect(cells.signature.cells == cells.bytes)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([SignatureCells].self, from: Data("[\"AAAA\"]".utf8)) }
    }
}
