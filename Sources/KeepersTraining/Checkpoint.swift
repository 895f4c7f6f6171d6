import Foundation
import KeepersCore
import KeepersHDF5

/// Everything a run needs to continue from step `step` exactly as if it had
/// never stopped. Batches are a function of (seed, step), so the step is the
/// whole data position; nothing else is random after initialisation.
public struct Checkpoint: Equatable, Sendable {
    /// Layout version of the file (`schema_version` attribute).
    public static let schemaVersion = 1

    /// Steps completed.
    public var step: Int
    public var identity: RunIdentity
    /// Flat network parameters (`Network.flatParameters` order).
    public var parameters: [Float]
    /// Optimiser state: updates applied, Adam's m (or SGD's velocity) and v.
    public var optimizerStep: Int
    public var firstMoment: [Float]
    public var secondMoment: [Float]
    /// The last `average_window` (or fewer) training batch losses and accuracies, oldest first.
    public var recentLosses: [Double]
    public var recentAccuracies: [Double]
    /// Best validation AUC so far, the step it was measured at, and the
    /// parameters then (what model.h5 will hold); nil / 0 / empty before any.
    public var bestAUC: Double?
    public var bestStep: Int
    public var bestParameters: [Float]
    /// `train/log.jsonl` up to `step`, one line per element.
    public var logLines: [String]
    /// The moving average of the parameters (empty when `train.ema` is 0).
    public var emaParameters: [Float] = []
    /// Every validation AUC so far, in order (what `selection: smoothed` averages).
    public var validationAUCs: [Double] = []

    public init(step: Int, identity: RunIdentity, parameters: [Float], optimizerStep: Int, firstMoment: [Float],
                secondMoment: [Float], recentLosses: [Double], recentAccuracies: [Double], bestAUC: Double?,
                bestStep: Int, bestParameters: [Float], logLines: [String]) {
        self.step = step
        self.identity = identity
        self.parameters = parameters
        self.optimizerStep = optimizerStep
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
        self.recentLosses = recentLosses
        self.recentAccuracies = recentAccuracies
        self.bestAUC = bestAUC
        self.bestStep = bestStep
        self.bestParameters = bestParameters
        self.logLines = logLines
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

    private var floats: [[Float]] { [parameters, firstMoment, secondMoment, bestParameters, emaParameters] }
    private var doubles: [[Double]] { [recentLosses, recentAccuracies, validationAUCs] }
    private var logText: String { logLines.map { $0 + "\n" }.joined() }

    public func write(to url: URL) throws {
        try AtomicFile.write(to: url) { temp in
            let file = try HDF5File.create(at: temp)
            try file.setAttribute("schema_version", .int(Self.schemaVersion))
            try file.setAttribute("step", .int(step))
            try identity.write(to: file)
            try file.setAttribute("optimizer_step", .int(optimizerStep))
            try file.setAttribute("best_step", .int(bestStep))
            if let bestAUC { try file.setAttribute("best_val_auc", .double(bestAUC)) }
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
            var checkpoint = Checkpoint(
                step: try file.intAttribute("step"), identity: try RunIdentity(file: file),
                parameters: try floats("parameters"), optimizerStep: try file.intAttribute("optimizer_step"),
                firstMoment: try floats("first_moment"), secondMoment: try floats("second_moment"),
                recentLosses: try doubles("recent_losses"), recentAccuracies: try doubles("recent_accuracies"),
                bestAUC: try file.hasAttribute("best_val_auc") ? file.doubleAttribute("best_val_auc") : nil,
                bestStep: try file.intAttribute("best_step"), bestParameters: try floats("best_parameters"),
                logLines: log.split(separator: "\n").map(String.init))
            checkpoint.emaParameters = try floats("ema_parameters")
            checkpoint.validationAUCs = try doubles("validation_aucs")
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
        let scalars = [step, optimizerStep, bestStep].map(String.init) + identity.hashedFields.prefix(1)
            + [bestAUC.map { String($0.bitPattern) } ?? "none", identity.settingsFingerprint, identity.dataFingerprint]
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
