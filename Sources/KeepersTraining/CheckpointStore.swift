import Foundation

/// `train/checkpoints/step-<8 digits>.h5`: saving, pruning, and finding the
/// newest one that reads back whole.
struct CheckpointStore {
    let folder: URL
    /// Checkpoints kept besides the best one.
    let keep: Int

    func url(step: Int) -> URL {
        folder.appendingPathComponent(String(format: "step-%08d.h5", step))
    }

    /// Steps of the checkpoint files present, newest first.
    func steps() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("step-"), name.hasSuffix(".h5") else { return nil }
            return Int(name.dropFirst(5).dropLast(3))
        }.sorted(by: >)
    }

    /// The newest checkpoint that reads back whole. Each damaged one is
    /// reported through `warn` (naming the file and what is wrong), and the
    /// one before it is tried. One that cannot be read but is not shown to
    /// be damaged (`CheckpointUnreadable`) is thrown: nothing is skipped or
    /// deleted on a guess.
    func newestValid(warn: (String) -> Void) throws -> Checkpoint? {
        for step in steps() {
            do { return try Checkpoint.read(from: url(step: step)) } catch let error as CheckpointUnreadable {
                throw error
            } catch {
                warn("\(error); trying the checkpoint before it")
            }
        }
        return nil
    }

    /// Writes `checkpoint`, then deletes all but the `keep` newest and the
    /// one at `checkpoint.bestStep`.
    func save(_ checkpoint: Checkpoint) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try checkpoint.write(to: url(step: checkpoint.step))
        for step in steps().dropFirst(keep) where step != checkpoint.bestStep {
            try? FileManager.default.removeItem(at: url(step: step))
        }
    }

    /// Removes every checkpoint (a fresh start).
    func removeAll() throws {
        for step in steps() { try FileManager.default.removeItem(at: url(step: step)) }
    }
}
