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
    var bestAUC: Double?
    var bestStep = 0
    var bestParameters: [Float] = []
    var logLines: [String] = []

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

    /// Keeps `parameters` as the best if `auc` beats every earlier one (ties keep the earlier).
    mutating func consider(auc: Double?, parameters: @autoclosure () -> [Float]) -> Bool {
        guard let auc, auc > (bestAUC ?? -.infinity) else { return false }
        bestAUC = auc
        bestStep = step
        bestParameters = parameters()
        return true
    }

    func checkpoint(identity: RunIdentity, parameters: [Float]) -> Checkpoint {
        Checkpoint(step: step, identity: identity, parameters: parameters, optimizerStep: optimizer.step,
                   firstMoment: optimizer.firstMoment, secondMoment: optimizer.secondMoment,
                   recentLosses: recentLosses, recentAccuracies: recentAccuracies, bestAUC: bestAUC,
                   bestStep: bestStep, bestParameters: bestParameters, logLines: logLines)
    }
}
