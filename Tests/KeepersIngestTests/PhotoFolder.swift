import Foundation
import KeepersCore
import KeepersImaging
import KeepersIngest
import KeepersTestSupport

/// A sorted photos folder in a temporary directory, with a work directory beside it.
final class PhotoFolder {
    let temp: TemporaryDirectory
    var root: URL { temp.url.appendingPathComponent("photos") }
    var layout: WorkLayout { WorkLayout(root: temp.url.appendingPathComponent("work/test")) }

    init() throws {
        temp = try TemporaryDirectory(prefix: "keepers-ingest")
        for label in ["good", "bad"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(label), withIntermediateDirectories: true)
        }
    }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    func write(_ data: Data, _ relative: String) throws {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// A JPEG of a scene that differs with `seed`: different bytes, and
    /// different enough that burst grouping keeps every seed apart.
    func photo(_ relative: String, seed: Int, width: Int = 300, height: Int = 200) throws {
        try write(PhotoEncoder.encode(Fixtures.scene(seed: seed, width: width, height: height), as: .jpeg), relative)
    }

    func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(relative).path, withDestinationPath: target)
    }

    static func settings(width: Int = 128) -> IngestSettings {
        var settings = IngestSettings()
        settings.image.width = width
        settings.maxPixels = 20_000_000
        settings.threads = 2
        return settings
    }

    @discardableResult
    func ingest(_ settings: IngestSettings = PhotoFolder.settings()) throws -> IngestSummary {
        try Ingestor(photos: root, layout: layout, settings: settings, context: .quiet).run()
    }

    func manifest() throws -> [ManifestEntry] { try JSONLines.read(ManifestEntry.self, from: layout.manifest) }
    func rejected() throws -> [RejectedEntry] { try JSONLines.read(RejectedEntry.self, from: layout.rejected) }
}
