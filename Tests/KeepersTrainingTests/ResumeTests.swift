import Foundation
import KeepersCore
import KeepersHDF5
import KeepersModel
import KeepersNetwork
import Testing
@testable import KeepersTraining

/// Runs the real `keepers-train` on a tiny data set (60 steps, a checkpoint
/// every 5) and checks that interrupted runs end exactly where an
/// uninterrupted one does. Serialized: one keepers-train at a time, so
/// the runs do not slow each other down.
@Suite(.serialized) struct ResumeTests {
    /// What an uninterrupted run produces, computed once.
    struct Outcome: Sendable, Equatable {
        let model: [String: [UInt32]]
        let finalParameters: [UInt32]
        let log: [TrainingLogRow]

        init(_ fixture: TrainFixture) throws {
            model = try fixture.modelBits()
            finalParameters = try fixture.checkpoint(step: 60).parameters.map(\.bitPattern)
            log = try fixture.logWithoutSpeed()
        }
    }

    static let reference: Result<Outcome, any Error> = Result {
        let fixture = try TrainFixture()
        let run = try fixture.train()
        guard run.status == 0 else { throw KeepersError.invalidArgument("reference run failed:\n\(run.output)") }
        return try Outcome(fixture)
    }

    @Test func referenceRunWritesModelLogAndPrunedCheckpoints() throws {
        let reference = try Self.reference.get()
        #expect(reference.log.map(\.step) == [10, 20, 30, 40, 50, 60])
        #expect(reference.log.allSatisfy { $0.trainLoss != nil && $0.valAUC != nil })
        #expect(reference.model.keys.sorted() == ["additive/coefficients", "additive/knots", "conv1/bias", "conv1/kernel",
                                                  "conv2/bias", "conv2/kernel", "dense/bias", "dense/kernel",
                                                  "good_statistics/median", "good_statistics/spread", "hidden/bias",
                                                  "hidden/kernel", "statistics/mean", "statistics/std"])
        #expect(reference.model["conv2/kernel"]?.count == 6 * 4 * 3 * 3)
    }

    /// Four SIGKILLs, each a seeded random 0-40 ms after a seeded random
    /// checkpoint 5 or 10 steps past the run's start has appeared, so they land
    /// mid-step, mid-validation or mid-write; then a run to the end. Timed by
    /// progress rather than by the clock, so a loaded machine cannot make the
    /// run finish before the kills.
    @Test func killNineAtRandomMomentsEndsBitwiseIdentical() throws {
        let reference = try Self.reference.get()
        let fixture = try TrainFixture()
        var random = SequentialRandom(seed: 20_261_129)
        var resumedFrom = [0]
        for _ in 0..<4 {
            // At most step 50, so the run cannot end first; a target already
            // reached makes the kill land while the run starts up.
            let target = min(50, resumedFrom.last! + 5 * (1 + Int(random.next() % 2)))
            let delay = UInt64(random.unit() * 40_000_000)
            var reached: UInt64?
            let run = try fixture.train(signalWhen: {
                let now = DispatchTime.now().uptimeNanoseconds
                if reached == nil, (fixture.store.steps().first ?? 0) >= target { reached = now }
                return reached.map { now - $0 >= delay } ?? false
            })
            #expect(run.killed, "target step \(target): \(run.output)")
            let step = try #require(try fixture.store.newestValid(warn: { _ in })?.step)
            print("killed \(Double(delay) / 1e6) ms after checkpoint \(target); newest complete checkpoint: \(step)")
            resumedFrom.append(step)
        }
        let last = try fixture.train()
        #expect(last.status == 0 && last.output.contains("resuming at step \(resumedFrom.last!) of 60"), "\(last.output)")
        #expect(try Outcome(fixture) == reference)
    }

    @Test func sigtermFinishesTheStepSavesAndExitsZero() throws {
        let reference = try Self.reference.get()
        let fixture = try TrainFixture()
        let stopped = try fixture.train(signal: SIGTERM, signalWhen: { !fixture.store.steps().isEmpty })
        #expect(stopped.status == 0 && !stopped.killed, "\(stopped.output)")
        #expect(stopped.output.contains("to resume, run the same command again"), "\(stopped.output)")
        let step = try #require(fixture.store.steps().first)
        #expect(step < 60)
        #expect(stopped.output.contains("stopped after step \(step) of 60"), "\(stopped.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.layout.model.path))

        let resumed = try fixture.train()
        #expect(resumed.status == 0 && resumed.output.contains("resuming at step \(step) of 60"), "\(resumed.output)")
        #expect(try Outcome(fixture) == reference)
    }

    @Test func damagedNewestCheckpointIsReportedAndThePreviousUsed() throws {
        let reference = try Self.reference.get()
        let fixture = try TrainFixture()
        #expect(try fixture.train().status == 0)
        let newest = fixture.store.url(step: 60)
        try Data(try Data(contentsOf: newest).prefix(5000)).write(to: newest)
        try FileManager.default.removeItem(at: fixture.layout.model)

        let run = try fixture.train()
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("step-00000060.h5: cannot be opened as HDF5 (truncated or damaged?)"), "\(run.output)")
        #expect(run.output.contains("resuming at step 55 of 60"), "\(run.output)")
        #expect(try Outcome(fixture) == reference)
    }

    @Test func flippedByteInACheckpointFailsItsChecksum() throws {
        let fixture = try TrainFixture(steps: 5)
        #expect(try fixture.train().status == 0)
        let url = fixture.store.url(step: 5)
        let parameters = try Checkpoint.read(from: url).parameters
        var bytes = try Data(contentsOf: url)
        // Flip one bit inside the stored parameters (found by their bytes).
        let needle = parameters.prefix(4).withUnsafeBytes { Data($0) }
        let offset = try #require(bytes.range(of: needle)?.lowerBound)
        bytes[offset] ^= 0x01
        try bytes.write(to: url)
        #expect(throws: KeepersError.format(path: url.path, reason: "checksum mismatch: its contents changed after it was written")) {
            try Checkpoint.read(from: url)
        }
    }

    /// Fault pretraining (20 steps) then trees and 20 labelled steps: runs
    /// killed during pretraining and just after the switch to labels end
    /// bitwise where an uninterrupted run does; the model holds the trees.
    @Test func pretrainingAndTreesResumeBitwise() throws {
        let model = TrainFixture.model + "\n  trees: {iterations: 20, min_leaf: 2, cross_fit: 3}"
        let extra = "  pretrain_steps: 20\n  warmup_steps: 4"
        let uninterrupted = try TrainFixture(steps: 20, train: extra, model: model)
        let reference = try uninterrupted.train()
        #expect(reference.status == 0, "\(reference.output)")
        #expect(reference.output.contains("training 20 fault-pretraining and 20 labelled steps"), "\(reference.output)")
        #expect(reference.output.contains("fault pretraining step 10: ranking loss"), "\(reference.output)")
        let bits = try uninterrupted.modelBits()
        #expect(bits.keys.contains("trees/roots") && bits["trees/roots"]?.count == 20)
        #expect(try uninterrupted.logWithoutSpeed().map(\.step) == [30, 40])

        let fixture = try TrainFixture(steps: 20, train: extra, model: model)
        for target in [10, 25] {
            let run = try fixture.train(signalWhen: { (fixture.store.steps().first ?? 0) >= target })
            #expect(run.killed, "target step \(target): \(run.output)")
        }
        let last = try fixture.train()
        #expect(last.status == 0 && last.output.contains("resuming at step"), "\(last.output)")
        #expect(try fixture.modelBits() == bits)
        #expect(try fixture.logWithoutSpeed() == uninterrupted.logWithoutSpeed())
    }

    /// With a constant learning rate step k does not depend on the total, so
    /// raising `steps` continues the run to an uninterrupted run's result.
    @Test func raisingStepsContinuesToTheSameResult() throws {
        let constant = "  schedule: constant"
        let uninterrupted = try TrainFixture(steps: 60, train: constant)
        #expect(try uninterrupted.train().status == 0)
        let fixture = try TrainFixture(steps: 30, train: constant)
        #expect(try fixture.train().status == 0)
        try fixture.writeConfig(steps: 60, extra: constant)
        let run = try fixture.train()
        #expect(run.status == 0 && run.output.contains("resuming at step 30 of 60"), "\(run.output)")
        #expect(try Outcome(fixture) == Outcome(uninterrupted))
    }

    /// A cosine schedule's rate at each step depends on `steps`: a new total is a new run.
    @Test func raisingStepsUnderACosineScheduleIsAChange() throws {
        let fixture = try TrainFixture(steps: 5)
        #expect(try fixture.train().status == 0)
        try fixture.writeConfig(steps: 10)
        let refused = try fixture.train()
        #expect(refused.status == 1 && refused.output.contains("the model or training settings changed"), "\(refused.output)")
    }

    @Test func changedSettingsRefuseUnlessFreshOrRestartIfChanged() throws {
        let fixture = try TrainFixture(steps: 10)
        #expect(try fixture.train().status == 0)
        let logBefore = try Data(contentsOf: fixture.layout.trainLog)

        try fixture.writeConfig(steps: 10, extra: "  learning_rate: 0.002")
        let refused = try fixture.train()
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("the model or training settings changed since"), "\(refused.output)")
        #expect(refused.output.contains("step-00000010.h5") && refused.output.contains("--fresh"), "\(refused.output)")
        #expect(try Data(contentsOf: fixture.layout.trainLog) == logBefore)

        let restarted = try fixture.train(["--restart-if-changed"])
        #expect(restarted.status == 0 && restarted.output.contains("starting fresh (--restart-if-changed)"), "\(restarted.output)")
        #expect(restarted.output.contains("training 10 steps"), "\(restarted.output)")
        #expect(try fixture.logWithoutSpeed().map(\.step) == [10])
        let newSettings = try fixture.checkpoint(step: 10).identity.settingsFingerprint

        let unchanged = try fixture.train()
        #expect(unchanged.status == 0 && unchanged.output.contains("already trained to step 10"), "\(unchanged.output)")

        let fresh = try fixture.train(["--fresh"])
        #expect(fresh.status == 0 && fresh.output.contains("--fresh: discarding"), "\(fresh.output)")
        #expect(fresh.output.contains("training 10 steps"), "\(fresh.output)")
        #expect(try fixture.checkpoint(step: 10).identity.settingsFingerprint == newSettings)
    }

    @Test func changedShardsRefuse() throws {
        let fixture = try TrainFixture(steps: 5)
        #expect(try fixture.train().status == 0)
        var index = try String(contentsOf: fixture.layout.shardIndex, encoding: .utf8)
        index = index.replacingOccurrences(of: "\"positive_class\" : \"good\"", with: "\"positive_class\" : \"bad\"")
        try index.write(to: fixture.layout.shardIndex, atomically: true, encoding: .utf8)
        let refused = try fixture.train()
        #expect(refused.status == 1 && refused.output.contains("the shards (training data) changed"), "\(refused.output)")
    }

    @Test func anotherThreadCountContinuesWithAWarning() throws {
        let fixture = try TrainFixture(steps: 5, train: "  schedule: constant")
        #expect(try fixture.train().status == 0)
        try fixture.writeConfig(steps: 10, extra: "  schedule: constant")
        let run = try fixture.train(["--threads", "1"])
        #expect(run.status == 0 && run.output.contains("resuming at step 5 of 10 on 1 thread\n"), "\(run.output)")
        #expect(run.output.contains("step-00000005.h5 was computed with 2 threads, this run uses 1"), "\(run.output)")
        #expect(try fixture.checkpoint(step: 10).identity.threads == 1)
    }

    /// Unreadable is not corrupt: a checkpoint of a newer schema (as for one
    /// without read permission, or with no file descriptors left) stops
    /// training with the reason, and no checkpoint is deleted.
    @Test func unreadableCheckpointRefusesAndDeletesNothing() throws {
        let fixture = try TrainFixture(steps: 5, train: "  schedule: constant")
        #expect(try fixture.train().status == 0)
        let url = fixture.store.url(step: 5)
        let file = try HDF5File.open(at: url, writable: true)
        try file.setAttribute("schema_version", .int(Checkpoint.schemaVersion + 1))
        try file.close()
        let before = try Data(contentsOf: url)
        try fixture.writeConfig(steps: 10, extra: "  schedule: constant")
        let run = try fixture.train()
        #expect(run.status != 0, "\(run.output)")
        #expect(run.output.contains("checkpoint schema version \(Checkpoint.schemaVersion + 1)"), "\(run.output)")
        #expect(run.output.contains("training stops and deletes nothing"), "\(run.output)")
        #expect(fixture.store.steps() == [5])
        #expect(try Data(contentsOf: url) == before)
    }

    /// A resume on another oneDNN or instruction set is allowed but said
    /// loudly, and model.h5 records that the run is not bitwise reproducible.
    @Test func resumingOnAnotherBackendWarnsAndModelH5RecordsIt() throws {
        let fixture = try TrainFixture(steps: 5, train: "  schedule: constant")
        #expect(try fixture.train().status == 0)
        let first = try #require(try ModelFile.load(fixture.layout.model).1.computation)
        #expect(first.backend == ComputeBackend.current && first.backend.hasPrefix("oneDNN "))
        #expect(first.bitwiseReproducible && first.threads > 0)
        let url = fixture.store.url(step: 5)
        var checkpoint = try Checkpoint.read(from: url)
        #expect(checkpoint.identity.backend == ComputeBackend.current)
        checkpoint.identity.backend = "oneDNN 2.0.0, avx2"
        try checkpoint.write(to: url)
        try fixture.writeConfig(steps: 10, extra: "  schedule: constant")
        let run = try fixture.train()
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("WARNING: ") && run.output.contains("kernels then: oneDNN 2.0.0, avx2; now: \(ComputeBackend.current)"),
                "\(run.output)")
        let computation = try #require(try ModelFile.load(fixture.layout.model).1.computation)
        #expect(!computation.bitwiseReproducible)
        #expect(computation.notReproducible == ["resumed at step 5 with oneDNN 2.0.0, avx2 -> \(ComputeBackend.current)"])
        #expect(try fixture.checkpoint(step: 10).identity.notReproducible == computation.notReproducible)
    }
}
