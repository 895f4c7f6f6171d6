import KeepersCore
import KeepersHDF5
import KeepersNetwork
import KeepersShards

/// What a checkpoint was computed from, to decide whether a run may continue it.
public struct RunIdentity: Equatable, Sendable {
    /// Fingerprint of the model and training settings that shape the results.
    public var settingsFingerprint: String
    /// Fingerprint of the shard index, which names every bucket's content fingerprint.
    public var dataFingerprint: String
    /// Compute threads. oneDNN's sums change in their last bits with the
    /// thread count, so continuing with another count is allowed but no longer
    /// bitwise identical to an uninterrupted run; the trainer warns.
    public var threads: Int
    /// oneDNN version and kernel instruction set (`ComputeBackend.current`);
    /// empty in checkpoints written before it was recorded. Same caveat as
    /// `threads`.
    public var backend = ""
    /// Why the run is no longer bitwise identical to an uninterrupted one:
    /// one line per resume that changed threads or backend, carried from
    /// checkpoint to checkpoint into model.h5. Empty: reproducible.
    public var notReproducible: [String] = []

    public init(settingsFingerprint: String, dataFingerprint: String, threads: Int) {
        self.settingsFingerprint = settingsFingerprint
        self.dataFingerprint = dataFingerprint
        self.threads = threads
    }

    public init(model: ModelSettings, train: TrainSettings, index: ShardIndex, threads: Int) {
        self.init(settingsFingerprint: ContentHash.fingerprint(of: ResultSettings(model: model, train: train)),
                  dataFingerprint: ContentHash.fingerprint(of: index), threads: threads)
        backend = ComputeBackend.current
    }

    /// What differs between the computation of `earlier` (a checkpoint) and
    /// this run, each as a sentence; empty when a resume stays bitwise exact.
    func computationChanges(since earlier: RunIdentity) -> [String] {
        var changes: [String] = []
        if earlier.threads != threads { changes.append("threads \(earlier.threads) -> \(threads)") }
        if earlier.backend != backend {
            changes.append("\(earlier.backend.isEmpty ? "unrecorded backend" : earlier.backend) -> \(backend)")
        }
        return changes
    }

    /// The checksummed text of the fields (a checkpoint's `payload_sha256`);
    /// the newer fields only when set, so older checkpoints still verify.
    var hashedFields: [String] {
        [String(threads)] + (backend.isEmpty ? [] : [backend]) + notReproducible
    }

    func write(to file: HDF5File) throws {
        try file.setAttribute("settings_fingerprint", .string(settingsFingerprint))
        try file.setAttribute("data_fingerprint", .string(dataFingerprint))
        try file.setAttribute("threads", .int(threads))
        if !backend.isEmpty { try file.setAttribute("compute_backend", .string(backend)) }
        if !notReproducible.isEmpty { try file.setAttribute("not_reproducible", .string(notReproducible.joined(separator: "\n"))) }
    }

    init(file: HDF5File) throws {
        self.init(settingsFingerprint: try file.stringAttribute("settings_fingerprint"),
                  dataFingerprint: try file.stringAttribute("data_fingerprint"), threads: try file.intAttribute("threads"))
        if try file.hasAttribute("compute_backend") { backend = try file.stringAttribute("compute_backend") }
        if try file.hasAttribute("not_reproducible") {
            notReproducible = try file.stringAttribute("not_reproducible").split(separator: "\n").map(String.init)
        }
    }
}

/// The settings that change what the steps compute. Left out: `steps` when
/// the learning rate is constant (step k does not depend on how many follow,
/// so raising it continues a run; a cosine schedule depends on it),
/// `checkpoint_every` and `keep_checkpoints` (when and how many files are
/// saved), and `threads` (recorded on its own, see `RunIdentity.threads`).
/// `eval_every` and `average_window` stay in: they shape the log and which
/// step's weights are the best.
struct ResultSettings: Encodable {
    var model: ModelSettings
    var train: TrainSettings

    init(model: ModelSettings, train: TrainSettings) {
        self.model = model
        self.train = train
        if train.schedule == .constant { self.train.steps = 0 }
        self.train.checkpointEvery = 0
        self.train.keepCheckpoints = 0
        self.train.threads = 0
    }
}
