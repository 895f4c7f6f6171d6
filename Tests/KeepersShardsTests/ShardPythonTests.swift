import Foundation
import KeepersCore
import KeepersTestSupport
import Testing
@testable import KeepersShards

/// Runs the Python example of docs/shards.md on freshly built shards, so the
/// documentation cannot drift from the files.
@Suite struct ShardPythonTests {
    @Test func documentedPythonExampleReadsAShard() throws {
        let python = try #require(Python.withH5py(), "\(Python.missingMessage)")
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let script = fixture.dir.url.appendingPathComponent("example.py")
        try Python.firstBlock(inMarkdown: Self.docs).write(to: script, atomically: true, encoding: .utf8)

        let (status, output) = try Python.run(python, [script.path, fixture.layout.shards.path], in: fixture.dir.url)
        #expect(status == 0, "python failed:\n\(output)")
        let reader = try ShardReader(layout: fixture.layout)
        let first = reader.buckets[0]
        let image = try reader.image(bucket: 0, image: 0)
        let mean = Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count)
        #expect(output.contains("train 8 12 (3, 8, 12, 3)"), "\(output)")
        #expect(output.contains("\(first.ids[0]): label \(first.labels[0]) (\(first.labels[0] == 1 ? "good" : "bad")), shape (8, 12, 3), mean \(String(format: "%.3f", mean))"), "\(output)")
        let ppm = try Data(contentsOf: fixture.dir.url.appendingPathComponent("first.ppm"))
        #expect(ppm == Data("P6 12 8 255\n".utf8) + Data(image.pixels))
    }

    static var docs: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/shards.md")
    }
}
