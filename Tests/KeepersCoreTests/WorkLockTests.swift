import Foundation
import Testing
@testable import KeepersCore

/// One writer per work directory (`WorkLock`).
@Suite struct WorkLockTests {
    @Test func aSecondHolderIsRefusedAtOnceNamingTheFirst() throws {
        let temp = try TemporaryDirectory()
        let root = temp.url.appendingPathComponent("work/demo")
        var first: WorkLock? = try WorkLock(root, tool: "keepers-train")
        #expect(throws: KeepersError.io(path: root.path, reason: "in use by process \(getpid()) (keepers-train): one run per work directory; wait for it to finish or stop it")) {
            _ = try WorkLock(root, tool: "keepers-ingest")
        }
        first = nil
        #expect(first == nil)
        // Released with its holder.
        _ = try WorkLock(root, tool: "keepers-ingest")
    }

    @Test func aKilledHolderLeavesNoStaleLock() throws {
        let temp = try TemporaryDirectory()
        let root = temp.url.appendingPathComponent("work/demo")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // Another process takes the same flock (util-linux flock(1)), then is killed -9.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", "--no-fork", root.path, "sleep", "60"]
        try holder.run()
        var refused = false
        for _ in 0..<100 {
            do { _ = try WorkLock(root, tool: "t") } catch { refused = true; break }
            usleep(20_000)
        }
        #expect(refused, "the other process's flock should have been seen")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        _ = try WorkLock(root, tool: "t")
    }
}

/// Non-UTF-8 file names in text (`PathEscaping`).
@Suite struct PathEscapingTests {
    @Test func invalidUTF8IsEscapedReversiblyAndDistinctNamesStayDistinct() {
        let names: [[UInt8]] = [
            Array("good/caf".utf8) + [0xE9] + Array(".jpg".utf8),   // Latin-1 é
            Array("good/caf".utf8) + [0xE8] + Array(".jpg".utf8),   // Latin-1 è
            Array("good/caf\\xe9.jpg".utf8),                         // the escape's text, literally
            Array("good/café.jpg".utf8),                             // valid UTF-8 stays as it is
            [0xC3, 0x28, 0x5C, 0x5C, 0xF0, 0x9F, 0x98, 0x80, 0xFF],
        ]
        let texts = names.map(PathEscaping.text(of:))
        #expect(texts[0] == "good/caf\\xe9.jpg")
        #expect(texts[2] == "good/caf\\\\xe9.jpg")
        #expect(texts[3] == "good/café.jpg")
        #expect(Set(texts).count == names.count)
        #expect(names.allSatisfy { PathEscaping.bytes(of: PathEscaping.text(of: $0)) == $0 })
    }
}
