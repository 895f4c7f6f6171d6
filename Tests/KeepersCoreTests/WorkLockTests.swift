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
        // Until flock(1) holds it: on a loaded machine starting a process can
        // take seconds, so the bound is generous (the loop ends at the first refusal).
        var refused = false
        for _ in 0..<3_000 where holder.isRunning {
            do { _ = try WorkLock(root, tool: "t") } catch { refused = true; break }
            usleep(20_000)
        }
        #expect(refused, "the other process's flock should have been seen")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        _ = try WorkLock(root, tool: "t")
    }
}
