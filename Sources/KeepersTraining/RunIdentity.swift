import KeepersConfig
import KeepersCore
import KeepersHDF5
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

    public init(settingsFingerprint: String, dataFingerprint: String, threads: Int) {
        self.settingsFingerprint = settingsFingerprint
        self.dataFingerprint = dataFingerprint
        self.threads = threads
    }

    public init(model: ModelSettings, train: TrainSettings, index: ShardIndex, threads: Int) {
        self.init(settingsFingerprint: ContentHash.fingerprint(of: ResultSettings(model: model, train: train)),
                  dataFingerprint: ContentHash.fingerprint(of: index), threads: threads)
    }

    func write(to file: HDF5File) throws {
        try file.setAttribute("settings_fingerprint", .string(settingsFingerprint))
        try file.setAttribute("data_fingerprint", .string(dataFingerprint))
        try file.setAttribute("threads", .int(threads))
    }

    init(file: HDF5File) throws {
        self.init(settingsFingerprint: try file.stringAttribute("settings_fingerprint"),
                  dataFingerprint: try file.stringAttribute("data_fingerprint"), threads: try file.intAttribute("threads"))
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
