import Foundation
import KeepersCore
import KeepersIngest
import KeepersTestSupport
import Testing

/// RAW+JPEG pairs are one photo; labels can come from star ratings in XMP.
@Suite("RAW pairs and XMP ratings in ingest") struct RawAndRatingsIngestTests {
    /// A sidecar as Lightroom or darktable would leave it (rating only).
    static func sidecar(rating: Int) -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="\(rating)"/>
            </rdf:RDF></x:xmpmeta>
            """.utf8)
    }

    @Test("a RAW and a JPEG of one shot give one entry, the configured one; sidecars are not photos")
    func pairs() throws {
        let folder = try PhotoFolder()
        for i in 0..<12 {
            try folder.photo("good/IMG_\(i).JPG", seed: i)
            // Content decides the format, so a JPEG named .dng stands in for most RAW files here...
            try folder.photo("good/IMG_\(i).dng", seed: 100 + i)
        }
        // ...and one real DNG (LibRaw) with its JPEG.
        try RawFixtures.dng(from: try RawFixtures.photo("chelsea"), to: folder.url("bad/DSC_1.DNG"))
        try folder.photo("bad/DSC_1.jpg", seed: 500)
        try folder.photo("bad/lone.jpg", seed: 501)
        try folder.write(Self.sidecar(rating: 3), "bad/lone.jpg.xmp")

        let summary = try folder.ingest()
        var manifest = try folder.manifest()
        #expect(manifest.count == 14)
        #expect(Set(manifest.map(\.source)) == Set((0..<12).map { "good/IMG_\($0).dng" } + ["bad/DSC_1.DNG", "bad/lone.jpg"]))
        let rejected = try folder.rejected()
        #expect(rejected.count == 13 && rejected.allSatisfy { $0.reason.hasPrefix("paired: the same shot as ") })
        #expect(summary.scan.sidecars == 1)

        var settings = PhotoFolder.settings()
        settings.rawJpegPair = .jpeg
        try folder.ingest(settings)
        manifest = try folder.manifest()
        #expect(Set(manifest.map(\.source)) == Set((0..<12).map { "good/IMG_\($0).JPG" } + ["bad/DSC_1.jpg", "bad/lone.jpg"]))
    }

    @Test("labels from star ratings: sidecars under both names, embedded XMP, contradictions refused")
    func ratings() throws {
        let folder = try PhotoFolder()
        let rated: [(String, Int?)] = [("trip/a.jpg", 5), ("trip/b.jpg", 4), ("trip/c.jpg", 1), ("trip/d.jpg", 2),
                                       ("trip/e.jpg", 3), ("trip/f.jpg", nil), ("trip/g.jpg", -1)]
        for (index, (path, rating)) in rated.enumerated() {
            try folder.photo(path, seed: index)
            if let rating { try folder.write(Self.sidecar(rating: rating), path + ".xmp") }
        }
        // Lightroom's name for the sidecar, and a RAW+JPEG pair sharing it.
        try folder.photo("trip/h.jpg", seed: 20)
        try folder.write(Self.sidecar(rating: 5), "trip/h.xmp")
        try folder.photo("trip/i.dng", seed: 21)
        try folder.photo("trip/i.jpg", seed: 22)
        try folder.write(Self.sidecar(rating: 1), "trip/i.xmp")
        // Embedded XMP only; embedded and sidecar disagreeing; a broken sidecar.
        try folder.photo("trip/j.jpg", seed: 30)
        try folder.photo("trip/k.jpg", seed: 31)
        try folder.write(Self.sidecar(rating: 1), "trip/k.jpg.xmp")
        for (path, rating) in [("trip/j.jpg", 5), ("trip/k.jpg", 5)] {
            let run = try Python.run("/usr/bin/exiftool", ["-q", "-overwrite_original", "-XMP-xmp:Rating=\(rating)", folder.url(path).path])
            #expect(run.status == 0, "\(run.output)")
        }
        try folder.photo("trip/l.jpg", seed: 40)
        try folder.write(Data("<x:xmpmeta><broken".utf8), "trip/l.jpg.xmp")

        var settings = PhotoFolder.settings()
        settings.labels = .xmpRating
        try folder.ingest(settings)
        let manifest = Dictionary(uniqueKeysWithValues: try folder.manifest().map { ($0.source, $0) })
        let labels = manifest.mapValues(\.label)
        #expect(labels == ["trip/a.jpg": "good", "trip/b.jpg": "good", "trip/c.jpg": "bad", "trip/d.jpg": "bad",
                           "trip/g.jpg": "bad", "trip/h.jpg": "good", "trip/i.dng": "bad", "trip/j.jpg": "good"])
        #expect(manifest["trip/a.jpg"]?.labelSource == "sidecar trip/a.jpg.xmp" && manifest["trip/a.jpg"]?.rating == 5)
        #expect(manifest["trip/i.dng"]?.labelSource == "sidecar trip/i.xmp")
        #expect(manifest["trip/j.jpg"]?.labelSource == "embedded in trip/j.jpg")
        let reasons = Dictionary(uniqueKeysWithValues: try folder.rejected().map { ($0.source, $0.reason) })
        #expect(reasons["trip/e.jpg"]?.hasPrefix("left out: rating 3") == true)
        #expect(reasons["trip/f.jpg"] == "left out: no star rating")
        #expect(reasons["trip/i.jpg"]?.hasPrefix("paired") == true)
        #expect(reasons["trip/k.jpg"] == "conflicting ratings: sidecar trip/k.jpg.xmp: 1, embedded in trip/k.jpg: 5")
        #expect(reasons["trip/l.jpg"]?.contains(folder.url("trip/l.jpg.xmp").path) == true)
    }

    @Test("ratings give the same data set as the same photos sorted into folders")
    func sameAsFolders() throws {
        let sorted = try PhotoFolder()
        let rated = try PhotoFolder()
        for i in 0..<40 {
            let good = i % 3 == 0
            try sorted.photo("\(good ? "good" : "bad")/p\(i).jpg", seed: i)
            try rated.photo("all/p\(i).jpg", seed: i)
            try rated.write(Self.sidecar(rating: good ? 5 : 1), "all/p\(i).jpg.xmp")
        }
        try sorted.ingest()
        var settings = PhotoFolder.settings()
        settings.labels = .xmpRating
        try rated.ingest(settings)
        let strip = { (entry: ManifestEntry) in
            [entry.id, entry.label, entry.split.rawValue, "\(entry.repeat)", "\(entry.width)x\(entry.height)"]
        }
        #expect(try sorted.manifest().map(strip).sorted { $0[0] < $1[0] } == rated.manifest().map(strip).sorted { $0[0] < $1[0] })
    }
}
