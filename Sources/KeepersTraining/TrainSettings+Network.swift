import KeepersCore
import KeepersNetwork

// The optimiser and the head fit take plain parameters; the config's
// `train` section becomes them here.

extension Optimizer {
    init(settings: TrainSettings) {
        self.init(kind: settings.optimizer, learningRate: Float(settings.learningRate),
                  momentum: Float(settings.momentum))
        weightDecay = Float(settings.weightDecay)
    }
}

extension StatisticsHeadFit {
    init(settings: TrainSettings) {
        self.init(steps: settings.prefitSteps, weightDecay: Float(settings.weightDecay))
    }
}
