import Foundation
import KeepersCore
import KeepersTestSupport
import KeepersXMP
import Testing

/// Sidecars Keepers writes, read back by two independent tools: exiftool
/// (Debian libimage-exiftool-perl) and exiv2.
@Suite("XMP sidecars") struct SidecarWriterTests {
    static func writer(label: String? = "Green") throws -> SidecarWriter {
        SidecarWriter(scale: try StarScale(threshold: 0.5), threshold: 0.5, label: label)
    }

    static func exiftool(_ arguments: [String]) throws -> String {
        let run = try Python.run("/usr/bin/exiftool", arguments)
        #expect(run.status == 0, "exiftool \(arguments): \(run.output)")
        return run.output
    }

    /// exiv2's value of one XMP key ("" when absent).
    static func exiv2(_ key: String, _ file: URL) throws -> String {
        let run = try Python.run("/usr/bin/exiv2", ["-q", "-K", key, "-Pv", "print", file.path])
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every XMP tag exiftool sees, as "group:name=value" lines, sorted.
    static func allTags(_ file: URL) throws -> [String] {
        try exiftool(["-XMP:all", "-G1", "-s", "-n", "-q", file.path]).split(separator: "\n")
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }.sorted()
    }

    @Test("a new sidecar carries rating, label and score for exiftool and exiv2; the photo is untouched")
    func newSidecar() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-xmp")
        let photo = temp.url.appendingPathComponent("IMG_0001.CR2")
        try Data("not really a raw file".utf8).write(to: photo)
        let change = try Self.writer().update(photo: photo, score: 0.9)
        let sidecar = temp.url.appendingPathComponent("IMG_0001.CR2.xmp")
        #expect(change.sidecar.path == sidecar.path && change.isNew && change.changed)
        #expect(try Self.exiftool(["-s3", "-XMP-xmp:Rating", "-XMP-xmp:Label", sidecar.path]) == "5\nGreen\n")
        #expect(try Self.exiv2("Xmp.xmp.Rating", sidecar) == "5")
        #expect(try Self.exiv2("Xmp.xmp.Label", sidecar) == "Green")
        #expect(try Self.exiftool(["-s3", "-XMP-keepers:Score", sidecar.path]) == "0.900000\n")
        #expect(try Data(contentsOf: photo) == Data("not really a raw file".utf8))

        // Lightroom's naming; a low score: 1 star and no label.
        var lightroom = try Self.writer()
        lightroom.naming = .stem
        _ = try lightroom.update(photo: photo, score: 0.1)
        let short = temp.url.appendingPathComponent("IMG_0001.xmp")
        #expect(try Self.exiv2("Xmp.xmp.Rating", short) == "1")
        #expect(try Self.exiv2("Xmp.xmp.Label", short) == "")
    }

    @Test("stars follow the cut-offs; the default puts the threshold at the 3/4 boundary")
    func stars() throws {
        let scale = try StarScale(threshold: 0.6)
        #expect([0.0, 0.19, 0.21, 0.41, 0.59, 0.6, 0.79, 0.8, 1.0].map(scale.stars) == [1, 1, 2, 3, 3, 4, 4, 5, 5])
        #expect(throws: StarScaleError.self) { _ = try StarScale(cutoffs: [0.2, 0.1, 0.5, 0.9]) }
        #expect(throws: StarScaleError.self) { _ = try StarScale(cutoffs: [0.2, 0.3, 0.5]) }
    }

    /// What darktable 4.x writes for a RAW it has imported and edited.
    static let darktableSidecar = """
        <?xml version="1.0" encoding="UTF-8"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about=""
            xmlns:exif="http://ns.adobe.com/exif/1.0/"
            xmlns:xmp="http://ns.adobe.com/xap/1.0/"
            xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:darktable="http://darktable.sf.net/"
           exif:DateTimeOriginal="2024:05:01 10:12:33"
           xmp:Rating="1"
           xmpMM:DerivedFrom="IMG_0001.CR2"
           darktable:import_timestamp="63850000000000000"
           darktable:xmp_version="5"
           darktable:raw_params="0"
           darktable:auto_presets_applied="1"
           darktable:history_end="2"
           darktable:iop_order_version="4">
           <dc:subject>
            <rdf:Bag>
             <rdf:li>holiday</rdf:li>
             <rdf:li>lake</rdf:li>
            </rdf:Bag>
           </dc:subject>
           <darktable:colorlabels>
            <rdf:Seq>
             <rdf:li>0</rdf:li>
            </rdf:Seq>
           </darktable:colorlabels>
           <darktable:history>
            <rdf:Seq>
             <rdf:li
              darktable:num="0"
              darktable:operation="exposure"
              darktable:enabled="1"
              darktable:modversion="6"
              darktable:params="0000000000000000cdcc4c3f"
              darktable:multi_name=""
              darktable:multi_priority="0"/>
             <rdf:li
              darktable:num="1"
              darktable:operation="filmicrgb"
              darktable:enabled="1"
              darktable:modversion="6"
              darktable:params="gz02eJxjYGBgkGAAgRNODGiAEV0AAwFfAB4"
              darktable:multi_name=""
              darktable:multi_priority="0"/>
            </rdf:Seq>
           </darktable:history>
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>

        """

    @Test("an existing darktable sidecar keeps everything but Keepers' fields; a second run changes no byte")
    func patchesDarktable() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-xmp")
        let photo = temp.url.appendingPathComponent("IMG_0001.CR2")
        let sidecar = temp.url.appendingPathComponent("IMG_0001.CR2.xmp")
        try Data(Self.darktableSidecar.utf8).write(to: sidecar)
        let before = try Self.allTags(sidecar)

        let dryRun = try Self.writer().update(photo: photo, score: 0.7, dryRun: true)
        #expect(dryRun.changed && dryRun.before == ["1", nil, nil] && dryRun.after == ["4", "Green", "0.700000"])
        #expect(try Data(contentsOf: sidecar) == Data(Self.darktableSidecar.utf8))

        _ = try Self.writer().update(photo: photo, score: 0.7)
        let after = try Self.allTags(sidecar)
        // Ours, and the name of the toolkit that wrote the file last.
        let ours = ["[XMP-xmp] Rating", "[XMP-xmp] Label", "[XMP-keepers] Score", "[XMP-x] XMPToolkit"]
        let isOurs = { (line: String) in ours.contains { line.hasPrefix($0) } }
        #expect(before.filter { !isOurs($0) } == after.filter { !isOurs($0) })
        #expect(before.count > 15)  // history, keywords, labels... really were there
        #expect(try Self.exiv2("Xmp.xmp.Rating", sidecar) == "4")
        #expect(try Self.exiv2("Xmp.darktable.history[2]/darktable:operation", sidecar) == "filmicrgb")
        #expect(try Self.exiv2("Xmp.dc.subject", sidecar) == "holiday, lake")

        let written = try Data(contentsOf: sidecar)
        let modified = try FileManager.default.attributesOfItem(atPath: sidecar.path)[.modificationDate] as? Date
        let again = try Self.writer().update(photo: photo, score: 0.7)
        #expect(!again.changed)
        #expect(try Data(contentsOf: sidecar) == written)
        #expect(try FileManager.default.attributesOfItem(atPath: sidecar.path)[.modificationDate] as? Date == modified)
    }

    @Test("Keepers takes back only the label it gave; the photographer's own label stays")
    func labelOwnership() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-xmp")
        let mine = temp.url.appendingPathComponent("a.jpg")
        _ = try Self.writer().update(photo: mine, score: 0.8)
        _ = try Self.writer().update(photo: mine, score: 0.2)
        #expect(try Self.exiv2("Xmp.xmp.Label", temp.url.appendingPathComponent("a.jpg.xmp")) == "")

        let theirs = temp.url.appendingPathComponent("b.jpg")
        let sidecar = temp.url.appendingPathComponent("b.jpg.xmp")
        _ = try Self.exiftool(["-q", "-o", sidecar.path, "-XMP-xmp:Label=Green", "-XMP-xmp:Rating=5"])
        _ = try Self.writer().update(photo: theirs, score: 0.1)
        #expect(try Self.exiv2("Xmp.xmp.Label", sidecar) == "Green")
        #expect(try Self.exiv2("Xmp.xmp.Rating", sidecar) == "1")
    }

    @Test("a malformed sidecar is refused by name and left as it was")
    func malformed() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-xmp")
        let sidecar = temp.url.appendingPathComponent("c.jpg.xmp")
        let junk = Data("<x:xmpmeta><rdf:RDF><unclosed".utf8)
        try junk.write(to: sidecar)
        #expect {
            _ = try Self.writer().update(photo: temp.url.appendingPathComponent("c.jpg"), score: 0.9)
        } throws: { error in
            "\(error)".contains(sidecar.path)
        }
        #expect(try Data(contentsOf: sidecar) == junk)
    }
}
