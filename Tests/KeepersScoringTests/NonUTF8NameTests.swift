import Foundation
import KeepersCore
import KeepersXMP
import Testing
@testable import KeepersScoring

/// A photo whose file name is not UTF-8 (Latin-1 `café.jpg`) is linked,
/// copied and given a sidecar under its real bytes, never a mangled name.
@Suite struct NonUTF8NameTests {
    static let latin1Name = Array("caf".utf8) + [0xE9] + Array(".jpg".utf8)

    /// Names in `folder` as bytes (FileManager would mangle them).
    static func names(in folder: BytePath) -> Set<[UInt8]> {
        guard let dir = folder.withCString({ opendir($0) }) else { return [] }
        defer { closedir(dir) }
        var names: Set<[UInt8]> = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name.first != 0x2E { names.insert(name) }
        }
        return names
    }

    static func contents(_ path: BytePath) throws -> Data { try PhotoBytes.read(path.text, maxBytes: 1 << 20) }

    @Test func keptLinkedCopiedAndSidecarUnderTheRealName() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-latin1")
        let photos = BytePath(bytes: Array(temp.url.path.utf8)).appending(Array("photos".utf8))
        #expect(photos.withCString { mkdir($0, 0o755) } == 0)
        let photo = photos.appending(Self.latin1Name)
        try FileWriting.create(photo, exclusive: true) { try FileWriting.writeAll(Data("pixels".utf8), to: $0, path: photo) }

        let files = try PhotoList.expand([photos.text])
        #expect(files.map(\.path) == [photo.text] && photo.text.hasSuffix("/caf\\xe9.jpg"))
        let predictions = [Prediction(path: files[0].path, score: 0.9, error: nil)]

        // --keep-into: a link under the same bytes, pointing at the photo's bytes.
        let keep = temp.url.appendingPathComponent("keep")
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: false) == 1)
        let kept = BytePath(bytes: Array(keep.path.utf8)).appending(Self.latin1Name)
        #expect(Self.names(in: kept.parent) == [Self.latin1Name])
        #expect(kept.linkTarget() == photo.bytes)
        #expect(try Self.contents(kept) == Data("pixels".utf8))
        // A rerun adds nothing; --copy replaces the link with a real copy.
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: false) == 1)
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: true) == 1)
        #expect(Self.names(in: kept.parent) == [Self.latin1Name])
        #expect(kept.linkStatus().map { $0.st_mode & S_IFMT == S_IFREG } == true)
        #expect(try Self.contents(kept) == Data("pixels".utf8))
        // A fresh --copy folder: a copy straight away, and again nothing added on a rerun.
        let copies = temp.url.appendingPathComponent("copies")
        for _ in 0..<2 { #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: copies, copy: true) == 1) }
        #expect(Self.names(in: BytePath(bytes: Array(copies.path.utf8))) == [Self.latin1Name])

        // --xmp: the sidecar is the photo's bytes plus .xmp, and a rerun reads it back unchanged.
        let writer = SidecarWriter(scale: try StarScale(threshold: 0.5), threshold: 0.5, label: "Green")
        let first = SidecarExport.write(predictions, with: writer, dryRun: false)
        #expect(try first[0].result.get().changed)
        #expect(Self.names(in: photos) == [Self.latin1Name, Self.latin1Name + Array(".xmp".utf8)])
        let second = SidecarExport.write(predictions, with: writer, dryRun: false)
        #expect(try second[0].result.get().changed == false)
    }

    @Test func numberedNamesKeepTheirBytes() {
        #expect(KeepFolder.name(Self.latin1Name, suffix: 0) == Self.latin1Name)
        #expect(KeepFolder.name(Self.latin1Name, suffix: 2) == Array("caf".utf8) + [0xE9] + Array("-2.jpg".utf8))
        #expect(KeepFolder.name(Array("README".utf8), suffix: 1) == Array("README-1".utf8))
        #expect(KeepFolder.name(Array(".hidden".utf8), suffix: 1) == Array(".hidden-1".utf8))
    }

    @Test func bytePathComponents() {
        let path = BytePath(escaped: "/a/caf\\xe9/b.jpg")
        #expect(path.bytes == Array("/a/caf".utf8) + [0xE9] + Array("/b.jpg".utf8))
        #expect(path.lastComponent == Array("b.jpg".utf8) && path.parent.text == "/a/caf\\xe9")
        #expect(BytePath(escaped: "/x").parent.text == "/" && BytePath(escaped: "x").parent.text == ".")
        #expect(BytePath(escaped: "/").appending(Array("y".utf8)).text == "/y")
    }
}
