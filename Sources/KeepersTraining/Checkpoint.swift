import Foundation
import KeepersCore
import KeepersHDF5

/// Everything a run needs to continue from step `progress.step` exactly as
/// if it had never stopped: the weights, the optimiser's state and the
/// training loop's own (`TrainingProgress`, the very value the loop carries,
/// whose fields read through: `checkpoint.step`). Batches are a function of
/// (seed, step), so the step is the whole data position; nothing else is
/// random after initialisation.
@dynamicMemberLookup
public struct Checkpoint: Equatable, Sendable {
    /// Layout version of the file (`schema_version` attribute).
    public static let schemaVersion = 1

    public var identity: RunIdentity
    /// Flat network parameters (`Network.flatParameters` order).
    public var parameters: [Float]
    /// Optimiser state: updates applied, Adam's m (or SGD's velocity) and v.
    public var optimizerStep: Int
    public var firstMoment: [Float]
    public var secondMoment: [Float]
    public var progress: TrainingProgress

    public init(identity: RunIdentity, parameters: [Float], optimizerStep: Int, firstMoment: [Float],
                secondMoment: [Float], progress: TrainingProgress) {
        self.identity = identity
        self.parameters = parameters
        self.optimizerStep = optimizerStep
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
        self.progress = progress
    }

    public subscript<Value>(dynamicMember field: WritableKeyPath<TrainingProgress, Value>) -> Value {
        get { progress[keyPath: field] }
        set { progress[keyPath: field] = newValue }
    }
}

// MARK: - File format

/// One HDF5 file per checkpoint (docs/training.md, "Checkpoints"): the
/// arrays as datasets, the scalars as root attributes, a SHA-256 of every
/// array as `payload_sha256`, and the attribute `complete` written last.
/// Files are written to a temporary name and renamed, so a file under its
/// final name is whole unless something damaged it later; the checksum
/// catches that.
extension Checkpoint {
    private static let floatArrays = ["parameters", "first_moment", "second_moment", "best_parameters", "ema_parameters"]
    private static let doubleArrays = ["recent_losses", "recent_accuracies", "validation_aucs"]

    private var floats: [[Float]] { [parameters, firstMoment, secondMoment, progress.bestParameters, progress.emaParameters] }
    private var doubles: [[Double]] { [progress.recentLosses, progress.recentAccuracies, progress.validationAUCs] }
    private var logText: String { progress.logLines.map { $0 + "\n" }.joined() }

    public func write(to url: URL) throws {
        try AtomicFile.write(to: url) { temp in
            let file = try HDF5File.create(at: temp)
            try file.setAttribute("schema_version", .int(Self.schemaVersion))
            try file.setAttribute("step", .int(progress.step))
            try identity.write(to: file)
            try file.setAttribute("optimizer_step", .int(optimizerStep))
            try file.setAttribute("best_step", .int(progress.bestStep))
            if let bestAUC = progress.bestAUC { try file.setAttribute("best_val_auc", .double(bestAUC)) }
            for (name, values) in zip(Self.floatArrays, floats) where !values.isEmpty {
                try file.createDataset(name, values: values)
            }
            for (name, values) in zip(Self.doubleArrays, doubles) where !values.isEmpty {
                try file.createDataset(name, values: values)
            }
            try file.createDataset("log", strings: [logText])
            try file.setAttribute("payload_sha256", .string(payloadHash()))
            try file.setAttribute("complete", .int(1))
            try file.close()
        }
    }

    /// Reads and checks a checkpoint; the error says what is wrong with it.
    public static func read(from url: URL) throws -> Checkpoint {
        func fail(_ reason: String) -> KeepersError { .format(path: url.path, reason: reason) }
        // A file that cannot be opened at all (permissions, too many open
        // files, an I/O error) says nothing about its contents: not damage.
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CheckpointUnreadable(path: url.path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        let file: HDF5File
        do { file = try HDF5File.open(at: url) } catch let error as HDF5Error {
            throw fail("cannot be opened as HDF5 (truncated or damaged?): \(error.messageWithoutPath)")
        }
        defer { try? file.close() }
        do {
            guard try file.hasAttribute("complete") else { throw fail("has no completion marker (written partially)") }
            let version = try file.intAttribute("schema_version")
            guard version == schemaVersion else {
                throw CheckpointUnreadable(path: url.path, reason: "checkpoint schema version \(version); this keepers-train reads version \(schemaVersion)")
            }
            func floats(_ name: String) throws -> [Float] { try file.contains(name) ? file.dataset(name).read(Float.self) : [] }
            func doubles(_ name: String) throws -> [Double] { try file.contains(name) ? file.dataset(name).read(Double.self) : [] }
            let log = try file.dataset("log").readStrings().first ?? ""
            var progress = TrainingProgress()
            progress.step = try file.intAttribute("step")
            progress.recentLosses = try doubles("recent_losses")
            progress.recentAccuracies = try doubles("recent_accuracies")
            progress.bestAUC = try file.hasAttribute("best_val_auc") ? file.doubleAttribute("best_val_auc") : nil
            progress.bestStep = try file.intAttribute("best_step")
            progress.bestParameters = try floats("best_parameters")
            progress.logLines = log.split(separator: "\n").map(String.init)
            progress.emaParameters = try floats("ema_parameters")
            progress.validationAUCs = try doubles("validation_aucs")
            let checkpoint = Checkpoint(
                identity: try RunIdentity(file: file), parameters: try floats("parameters"),
                optimizerStep: try file.intAttribute("optimizer_step"), firstMoment: try floats("first_moment"),
                secondMoment: try floats("second_moment"), progress: progress)
            guard try file.stringAttribute("payload_sha256") == checkpoint.payloadHash() else {
                throw fail("checksum mismatch: its contents changed after it was written")
            }
            return checkpoint
        } catch let error as HDF5Error {
            throw fail("unreadable: \(error.messageWithoutPath)")
        }
    }

    /// SHA-256 over the scalars, every array's bytes and the log, in a fixed order.
    func payloadHash() -> String {
        let scalars = [progress.step, optimizerStep, progress.bestStep].map(String.init) + identity.hashedFields.prefix(1)
            + [progress.bestAUC.map { String($0.bitPattern) } ?? "none", identity.settingsFingerprint, identity.dataFingerprint]
            + identity.hashedFields.dropFirst()
        var bytes = Data(scalars.joined(separator: "\n").utf8)
        for values in floats { values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        for values in doubles { values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        bytes.append(contentsOf: logText.utf8)
        return ContentHash.sha256(bytes)
    }
}

/// A checkpoint this program cannot read although nothing shows it is
/// damaged (no permission, out of file descriptors, a newer schema).
/// Training stops on it and deletes nothing: only a checkpoint that is
/// provably damaged (not HDF5, truncated, no completion marker, checksum
/// mismatch) is skipped, and removed when training starts afresh.
public struct CheckpointUnreadable: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String {
        "\(path): \(reason). It is not damaged as far as can be told, so training stops and deletes nothing: "
            + "fix the cause and run again (or move the file away to resume from an earlier one, or pass --fresh)"
    }
}
