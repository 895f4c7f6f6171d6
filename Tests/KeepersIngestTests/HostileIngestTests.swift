import Foundation
import KeepersCore
import KeepersImaging
import KeepersTestSupport
import Testing
@testable import KeepersIngest

/// The hostile-input corpus through the real ingest: documents disguised as
/// photos, a huge sparse file, a disk that fills up part-way.
@Suite struct HostileIngestTests {
    @Test func documentsAndHugeFilesNamedJpgAreRefusedWithTheReason() throws {
        let f = try PhotoFolder()
        try f.photo("good/real.jpg", seed: 1)
        try f.photo("bad/real.jpg", seed: 2)
        try f.write(Data(#"<svg xmlns="http://www.w3.org/2000/svg" width="90" height="60"><rect width="90" height="60"/></svg>"#.utf8),
                    "good/holiday.jpg")
        try f.write(Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8), "good/scan.jpg")
        try f.write(Data("%!PS-Adobe-3.0\nnewpath 0 0 moveto 10 0 lineto stroke showpage\n".utf8), "bad/print.jpg")
        // 2 GiB and sparse: costs no disk, but reading it would cost 2 GiB of memory.
        let huge = f.url("bad/huge.jpg")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: Data([0xFF, 0xD8, 0xFF])))
        #expect(truncate(huge.path, 2 << 30) == 0)
        var settings = PhotoFolder.settings()
        settings.maxFileBytes = 100 << 20
        try f.ingest(settings)
        let rejected = Dictionary(uniqueKeysWithValues: try f.rejected().map { ($0.source, $0.reason) })
        #expect(rejected["good/holiday.jpg"] == "format not allowed: svg")
        #expect(rejected["good/scan.jpg"] == "format not allowed: pdf")
        #expect(rejected["bad/print.jpg"] == "format not allowed: magick")
        #expect(rejected["bad/huge.jpg"] == "file is \(2 << 30) bytes, above max_file_bytes \(100 << 20) (not read)")
        #expect(try f.manifest().map(\.source).sorted() == ["bad/real.jpg", "good/real.jpg"])
    }

    @Test func aFullDiskStopsIngestRecordsNothingAndTheRerunIngestsEverything() throws {
        let f = try PhotoFolder()
        for seed in 0..<6 { try f.photo("\(seed % 2 == 0 ? "good" : "bad")/p\(seed).jpg", seed: seed + 1) }
        var ingestor = Ingestor(photos: f.root, layout: f.layout, settings: PhotoFolder.settings(), context: .quiet)
        // The third stored image meets a full disk, as a real write would report it.
        let writes = Mutex(0)
        ingestor.storeImage = { image, url in
            let n = writes.withLock { count in
                count += 1
                return count
            }
            guard n <= 2 else { throw KeepersError.io(path: url.path, reason: String(cString: strerror(ENOSPC))) }
            try StoredImage.write(image, to: url)
        }
        let error = #expect(throws: EnvironmentFault.self) { try ingestor.run() }
        #expect(error?.description.contains("No space left on device") == true, "\(String(describing: error))")
        #expect(error?.description.contains("not of the photo") == true)
        // Nothing recorded against any photo: no manifest, no refusals, no state.
        #expect(!FileManager.default.fileExists(atPath: f.layout.manifest.path))
        #expect(!FileManager.default.fileExists(atPath: f.layout.rejected.path))
        #expect(!FileManager.default.fileExists(atPath: f.layout.ingestState.path))

        let summary = try f.ingest()
        #expect(try f.manifest().count == 6)
        #expect(try f.rejected().isEmpty)
        #expect(summary.rejected.isEmpty)
    }

    /// Two Latin-1 names that lossy decoding would both turn into
    /// "good/caf\u{FFFD}.jpg": each keeps its own, reversible `source`.
    @Test func nonUTF8NamesGetDistinctReversibleSources() throws {
        let f = try PhotoFolder()
        try f.photo("bad/plain.jpg", seed: 1)
        for (byte, seed) in [(UInt8(0xE9), 2), (0xE8, 3)] {
            let name = Array(f.root.path.utf8) + Array("/good/caf".utf8) + [byte] + Array(".jpg".utf8)
            var image = Fixtures.redOverBlue(width: 300, height: 200)
            image[seed, 0] = (UInt8(seed), 9, 9)
            let data = try PhotoEncoder.encode(image, as: .jpeg)
            let fd = (name + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            }
            #expect(fd >= 0)
            _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        try f.ingest()
        let sources = try f.manifest().map(\.source).sorted()
        #expect(sources == ["bad/plain.jpg", "good/caf\\xe8.jpg", "good/caf\\xe9.jpg"])
        #expect(try f.rejected().isEmpty)
        #expect(PathEscaping.bytes(of: "good/caf\\xe9.jpg") == Array("good/caf".utf8) + [0xE9] + Array(".jpg".utf8))
    }
}

import Synchronization
