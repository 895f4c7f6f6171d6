import Foundation
import Testing
@testable import KeepersCore

@Suite struct AtomicFileTests {
    @Test func replacesContentAndLeavesNoTemporaries() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("a.txt")
        try AtomicFile.write("old", to: url)
        try AtomicFile.write("new", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["a.txt"])
    }

    @Test func failedProducerKeepsTheOldFile() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("a.txt")
        try AtomicFile.write("old", to: url)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: url) { temp in
                try Data("half".utf8).write(to: temp)
                throw Boom()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["a.txt"])
    }

    @Test func jsonLinesRoundTripAndNameTheBadLine() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("m.jsonl")
        let rows = [RejectedEntry(source: "good/a b.jpg", reason: "empty file"),
                    RejectedEntry(source: "bad/ü.png", reason: "not an image")]
        try JSONLines.write(rows, to: url)
        #expect(try JSONLines.read(RejectedEntry.self, from: url) == rows)
        try AtomicFile.write("{\"source\":\"x\",\"reason\":\"y\"}\n{\"source\":1}\n", to: url)
        #expect {
            _ = try JSONLines.read(RejectedEntry.self, from: url)
        } throws: { error in
            "\(error)".contains("m.jsonl") && "\(error)".contains("line 2")
        }
    }
}
