import Foundation
import KeepersCore
import KeepersTestSupport
import Testing

/// The real executables take the work directory's lock: a stage, and
/// keepers-predict when it writes next to a pipeline's model, stop at once
/// while another process holds `work/<config>/`, naming it.
@Suite struct WorkLockCommandTests {
    func tool(_ name: String) throws -> String {
        let trainer = try TrainFixture.executable()
        return URL(fileURLWithPath: trainer).deletingLastPathComponent().appendingPathComponent(name).path
    }

    @Test func stagesAndWritingPredictRefuseAHeldWorkDirectory() throws {
        let temp = try TemporaryDirectory()
        let config = temp.url.appendingPathComponent("locked.yaml")
        try Data("photos: \(temp.url.path)/photos\n".utf8).write(to: config)
        let root = temp.url.appendingPathComponent("work/locked")
        let holder = try WorkLock(root, tool: "keepers-train")
        let message = "in use by process \(getpid()) (keepers-train)"

        let ingest = try Python.run(try tool("keepers-ingest"),
                                    ["--config", config.path, "--work", temp.url.appendingPathComponent("work").path])
        #expect(ingest.status != 0 && ingest.output.contains(message), "\(ingest.output)")

        let model = root.appendingPathComponent("train/model.h5").path
        let predict = try Python.run(try tool("keepers-predict"),
                                     ["--model", model, "--output", root.appendingPathComponent("predict.csv").path, temp.url.path])
        #expect(predict.status != 0 && predict.output.contains(message), "\(predict.output)")
        // Reading only (no --output, no --keep-into): no lock taken, so the
        // failure is the missing model, not the lock.
        let reading = try Python.run(try tool("keepers-predict"), ["--model", model, temp.url.path])
        #expect(reading.status != 0 && !reading.output.contains("in use by"), "\(reading.output)")
        withExtendedLifetime(holder) {}
    }
}
