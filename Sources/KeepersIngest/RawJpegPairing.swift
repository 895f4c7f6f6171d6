import KeepersCore

/// A camera set to RAW+JPEG writes two files per shot (`IMG_0001.CR2`,
/// `IMG_0001.JPG`): one photo, so one manifest entry. If both went in, they
/// could land in different splits (their bytes, hence their split draws,
/// differ) and the test split would hold photos the network trained on.
/// The file `ingest.raw_jpeg_pair` names is kept; the other is listed.
enum RawJpegPairing {
    /// Extensions (lower case) of the RAW formats LibRaw reads.
    static let rawExtensions: Set<String> = [
        "3fr", "arw", "cr2", "cr3", "crw", "dcr", "dng", "erf", "iiq", "kdc", "mef", "mos",
        "nef", "nrw", "orf", "pef", "raf", "rw2", "rwl", "sr2", "srf", "srw", "x3f",
    ]
    static let jpegExtensions: Set<String> = ["jpg", "jpeg"]

    enum Kind { case raw, jpeg }

    /// Folder + stem as bytes, and which kind of file it is.
    static func key(_ path: [UInt8]) -> (stem: [UInt8], kind: Kind)? {
        guard let dot = path.lastIndex(of: 0x2E), !path[dot...].contains(0x2F) else { return nil }
        let ext = String(decoding: path[(dot + 1)...], as: UTF8.self).lowercased()
        if rawExtensions.contains(ext) { return (Array(path[..<dot]), .raw) }
        if jpegExtensions.contains(ext) { return (Array(path[..<dot]), .jpeg) }
        return nil
    }

    static func apply(_ scan: ScanResult, prefer: RawJpegPair) -> ScanResult {
        var byStem: [[UInt8]: [Kind: Int]] = [:]
        for (index, candidate) in scan.candidates.enumerated() {
            guard let (stem, kind) = key(candidate.relativePath) else { continue }
            // Two RAWs (or JPEGs) of one stem (.JPG and .jpeg): not a pair; the first stays.
            if byStem[stem]?[kind] == nil { byStem[stem, default: [:]][kind] = index }
        }
        var result = scan
        var dropped = Set<Int>()
        for kinds in byStem.values {
            guard let raw = kinds[.raw], let jpeg = kinds[.jpeg] else { continue }
            let (kept, other) = prefer == .raw ? (raw, jpeg) : (jpeg, raw)
            result.candidates[kept].partner = scan.candidates[other].relativePath
            dropped.insert(other)
            result.rejected.append(RejectedEntry(
                source: scan.candidates[other].source,
                reason: "paired: the same shot as \(scan.candidates[kept].source) (ingest.raw_jpeg_pair: \(prefer.rawValue)), ingested once"))
        }
        result.candidates = result.candidates.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        return result.sorted()
    }
}
