import Foundation
import KeepersCore
import Testing
@testable import KeepersShards

/// Runs the Python example of docs/shards.md on freshly built shards, so the
/// documentation cannot drift from the files.
@Suite struct ShardPythonTests {
    @Test func documentedPythonExampleReadsAShard() throws {
        let python = try #require(Self.pythonWithH5py(), """
            no python3 that can `import h5py` (tried /usr/bin/python3 and every python3 on PATH); \
            install Debian's python3-h5py and python3-numpy
            """)
        let fixture = try Fixture.standard()
        _ = try fixture.build()
        let script = fixture.dir.url.appendingPathComponent("example.py")
        try Self.documentedExample().write(to: script, atomically: true, encoding: .utf8)

        let (status, output) = try Self.run(python, [script.path, fixture.layout.shards.path], in: fixture.dir.url)
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

    /// The first ```python block of docs/shards.md.
    static func documentedExample() throws -> String {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/shards.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        guard let start = text.range(of: "```python\n"), let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex) else {
            throw KeepersError.format(path: docs.path, reason: "no ```python block")
        }
        return String(text[start.upperBound..<end.lowerBound]) + "\n"
    }

    /// Debian's /usr/bin/python3 first (it has python3-h5py), then PATH's.
    static func pythonWithH5py() -> String? {
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return (["/usr/bin/python3"] + onPath).first { candidate in
            FileManager.default.isExecutableFile(atPath: candidate)
                && (try? run(candidate, ["-c", "import h5py, numpy"], in: URL(fileURLWithPath: "/")).status) == 0
        }
    }

    static func run(_ executable: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
