import KeepersCore
import KeepersNetwork

/// What the training loop carries from step to step besides the weights
/// and the optimiser, and a checkpoint stores as it is (`Checkpoint.progress`).
public struct TrainingProgress: Equatable, Sendable {
    /// Steps completed.
    public var step = 0
    /// The last `average_window` (or fewer) training batch losses and accuracies, oldest first.
    public var recentLosses: [Double] = []
    public var recentAccuracies: [Double] = []
    /// The selection criterion's best value (`selection: smoothed`: the
    /// windowed mean validation AUC), its step and the weights then (what
    /// model.h5 will hold); nil / 0 / empty before any.
    public var bestAUC: Double?
    public var bestStep = 0
    public var bestParameters: [Float] = []
    /// `train/log.jsonl` up to `step`, one line per element.
    public var logLines: [String] = []
    /// Exponential moving average of the parameters; empty until the first step or when `train.ema` is 0.
    public var emaParameters: [Float] = []
    /// Every validation AUC so far, in order (what `selection: smoothed` averages).
    public var validationAUCs: [Double] = []

    public init() {}
}

/// The loop's state: its progress, the optimiser, and the window of the
/// moving averages. `progress`'s fields read through (`state.step`).
@dynamicMemberLookup
struct TrainingState {
    var progress = TrainingProgress()
    var optimizer: Optimizer
    let averageWindow: Int

    init(optimizer: Optimizer, averageWindow: Int) {
        self.optimizer = optimizer
        self.averageWindow = averageWindow
    }

    init(checkpoint: Checkpoint, optimizer: Optimizer, averageWindow: Int) {
        self.init(optimizer: optimizer, averageWindow: averageWindow)
        self.optimizer.restore(step: checkpoint.optimizerStep, firstMoment: checkpoint.firstMoment,
                               secondMoment: checkpoint.secondMoment)
        progress = checkpoint.progress
    }

    subscript<Value>(dynamicMember field: WritableKeyPath<TrainingProgress, Value>) -> Value {
        get { progress[keyPath: field] }
        set { progress[keyPath: field] = newValue }
    }

    /// After fault pretraining: a fresh optimiser, and no moving average or
    /// batch results carried over from the pretext task.
    mutating func startLabelledTraining(optimizer: Optimizer) {
        self.optimizer = optimizer
        progress.emaParameters = []
        progress.recentLosses = []
        progress.recentAccuracies = []
    }

    mutating func record(_ result: StepResult, batchSize: Int) {
        progress.step += 1
        progress.recentLosses.append(Double(result.loss))
        progress.recentAccuracies.append(Double(result.correct) / Double(batchSize))
        if progress.recentLosses.count > averageWindow {
            progress.recentLosses.removeFirst()
            progress.recentAccuracies.removeFirst()
        }
    }

    /// Moving averages of the training loss and accuracy: the mean of the
    /// window, summed oldest first, which is exactly the last element of
    /// KeepersMetrics' `movingAverage(values, window:)` that the report uses.
    var averageLoss: Double? { mean(progress.recentLosses) }
    var averageAccuracy: Double? { mean(progress.recentAccuracies) }

    private func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Folds the weights after a step into the moving average. The decay
    /// ramps up as min(decay, (1 + t) / (10 + t)) after t updates (as
    /// TensorFlow's ExponentialMovingAverage with num_updates), so early
    /// averages are not dominated by the random initialisation.
    mutating func updateAverage(_ parameters: [Float], decay: Double) {
        guard decay > 0 else { return }
        guard progress.emaParameters.count == parameters.count else {
            progress.emaParameters = parameters
            return
        }
        let d = Float(min(decay, Double(1 + progress.step) / Double(10 + progress.step)))
        for i in progress.emaParameters.indices {
            progress.emaParameters[i] = d * progress.emaParameters[i] + (1 - d) * parameters[i]
        }
    }

    /// Records a validation AUC and keeps `parameters` as the model if the
    /// selection criterion beats every earlier value (ties keep the earlier).
    /// `best`: the AUC itself; `smoothed`: the mean of the last `window`
    /// AUCs; `last`: never (model.h5 gets the final weights).
    mutating func consider(auc: Double?, selection: ModelSelection, window: Int,
                           parameters: @autoclosure () -> [Float]) -> Bool {
        guard let auc else { return false }
        progress.validationAUCs.append(auc)
        let criterion: Double
        switch selection {
        case .last: return false
        case .best: criterion = auc
        case .smoothed:
            let recent = progress.validationAUCs.suffix(window)
            criterion = recent.reduce(0, +) / Double(recent.count)
        }
        guard criterion > (progress.bestAUC ?? -.infinity) else { return false }
        progress.bestAUC = criterion
        progress.bestStep = progress.step
        progress.bestParameters = parameters()
        return true
    }

    func checkpoint(identity: RunIdentity, parameters: [Float]) -> Checkpoint {
        Checkpoint(identity: identity, parameters: parameters, optimizerStep: optimizer.step,
                   firstMoment: optimizer.firstMoment, secondMoment: optimizer.secondMoment, progress: progress)
    }
}
