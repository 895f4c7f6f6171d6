import Foundation

/// Bursts made from real photographs (e2e/fixtures/make-bursts.py):
/// shifted, exposure-stepped and shaken frames 0.3 s apart, some without
/// EXIF, and unrelated single photos, in `good/trip` and `bad/trip`.
public enum BurstFixtures {
    public struct File: Sendable, Equatable {
        /// Path relative to the photos folder, as the manifest's `source`.
        public let source: String
        /// The photograph a burst was made from, or "single".
        public let burst: String
        public let frame: Int
    }

    /// Writes batch 1 or 2 into `photos` (batches share no photograph).
    public static func write(into photos: URL, batch: Int) throws -> [File] {
        let script = RawFixtures.repository.appendingPathComponent("e2e/fixtures/make-bursts.py").path
        let run = try Python.run(try RawFixtures.python(), [script, photos.path, "--batch", String(batch)])
        guard run.status == 0 else { throw RawFixtures.fixtureError("make-bursts.py failed: \(run.output)") }
        let prefix = photos.path + "/"
        return run.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, fields[0].hasPrefix(prefix), let frame = Int(fields[2]) else { return nil }
            return File(source: String(fields[0].dropFirst(prefix.count)), burst: fields[1], frame: frame)
        }
    }
}
