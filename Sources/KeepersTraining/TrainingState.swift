import KeepersConfig
import KeepersNetwork

/// What the loop carries from step to step besides the network's weights:
/// optimiser, recent batch results, best validation so far, the log. It is
/// exactly what a checkpoint stores.
struct TrainingState {
    var step = 0
    var optimizer: Optimizer
    let averageWindow: Int
    /// Last `averageWindow` batch losses and accuracies, oldest first.
    var recentLosses: [Double] = []
    var recentAccuracies: [Double] = []
    /// The selection criterion's best value (`selection: smoothed`: the
    /// windowed mean validation AUC), its step and the weights then.
    var bestAUC: Double?
    var bestStep = 0
    var bestParameters: [Float] = []
    var logLines: [String] = []
    /// Exponential moving average of the parameters; empty until the first step or when off.
    var emaParameters: [Float] = []
    var validationAUCs: [Double] = []

    init(optimizer: Optimizer, averageWindow: Int) {
        self.optimizer = optimizer
        self.averageWindow = averageWindow
    }

    init(checkpoint c: Checkpoint, optimizer: Optimizer, averageWindow: Int) {
        self.init(optimizer: optimizer, averageWindow: averageWindow)
        self.optimizer.restore(step: c.optimizerStep, firstMoment: c.firstMoment, secondMoment: c.secondMoment)
        step = c.step
        recentLosses = c.recentLosses
        recentAccuracies = c.recentAccuracies
        bestAUC = c.bestAUC
        bestStep = c.bestStep
        bestParameters = c.bestParameters
        logLines = c.logLines
        emaParameters = c.emaParameters
        validationAUCs = c.validationAUCs
    }

    /// After fault pretraining: a fresh optimiser, and no moving average or
    /// batch results carried over from the pretext task.
    mutating func startLabelledTraining(optimizer: Optimizer) {
        self.optimizer = optimizer
        emaParameters = []
        recentLosses = []
        recentAccuracies = []
    }

    mutating func record(_ result: StepResult, batchSize: Int) {
        step += 1
        recentLosses.append(Double(result.loss))
        recentAccuracies.append(Double(result.correct) / Double(batchSize))
        if recentLosses.count > averageWindow {
            recentLosses.removeFirst()
            recentAccuracies.removeFirst()
        }
    }

    /// Moving averages of the training loss and accuracy: the mean of the
    /// window, summed oldest first, which is exactly the last element of
    /// KeepersMetrics' `movingAverage(values, window:)` that the report uses.
    var averageLoss: Double? { mean(recentLosses) }
    var averageAccuracy: Double? { mean(recentAccuracies) }

    private func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Folds the weights after a step into the moving average. The decay
    /// ramps up as min(decay, (1 + t) / (10 + t)) after t updates (as
    /// TensorFlow's ExponentialMovingAverage with num_updates), so early
    /// averages are not dominated by the random initialisation.
    mutating func updateAverage(_ parameters: [Float], decay: Double) {
        guard decay > 0 else { return }
        guard emaParameters.count == parameters.count else {
            emaParameters = parameters
            return
        }
        let d = Float(min(decay, Double(1 + step) / Double(10 + step)))
        for i in emaParameters.indices { emaParameters[i] = d * emaParameters[i] + (1 - d) * parameters[i] }
    }

    /// Records a validation AUC and keeps `parameters` as the model if the
    /// selection criterion beats every earlier value (ties keep the earlier).
    /// `best`: the AUC itself; `smoothed`: the mean of the last `window`
    /// AUCs; `last`: never (model.h5 gets the final weights).
    mutating func consider(auc: Double?, selection: ModelSelection, window: Int,
                           parameters: @autoclosure () -> [Float]) -> Bool {
        guard let auc else { return false }
        validationAUCs.append(auc)
        let criterion: Double
        switch selection {
        case .last: return false
        case .best: criterion = auc
        case .smoothed:
            let recent = validationAUCs.suffix(window)
            criterion = recent.reduce(0, +) / Double(recent.count)
        }
        guard criterion > (bestAUC ?? -.infinity) else { return false }
        bestAUC = criterion
        bestStep = step
        bestParameters = parameters()
        return true
    }

    func checkpoint(identity: RunIdentity, parameters: [Float]) -> Checkpoint {
        var checkpoint = Checkpoint(
            step: step, identity: identity, parameters: parameters, optimizerStep: optimizer.step,
            firstMoment: optimizer.firstMoment, secondMoment: optimizer.secondMoment,
            recentLosses: recentLosses, recentAccuracies: recentAccuracies, bestAUC: bestAUC,
            bestStep: bestStep, bestParameters: bestParameters, logLines: logLines)
        checkpoint.emaParameters = emaParameters
        checkpoint.validationAUCs = validationAUCs
        return checkpoint
    }
}
