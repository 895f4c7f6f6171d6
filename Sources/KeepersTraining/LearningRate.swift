import Foundation
import KeepersCore

/// The learning rate of each step, a pure function of the step (so a resumed
/// run needs no schedule state): linear warm-up from 0 over `warmup_steps`,
/// then constant or half a cosine down to 0 at `steps`.
struct LearningRate {
    let settings: TrainSettings

    /// The rate for 0-based step `step` (the update that makes it step + 1).
    func at(step: Int) -> Float {
        let base = settings.learningRate
        let warmup = settings.warmupSteps
        if step < warmup { return Float(base * Double(step + 1) / Double(warmup)) }
        switch settings.schedule {
        case .constant: return Float(base)
        case .cosine:
            let span = max(settings.steps - warmup, 1)
            let progress = min(Double(step - warmup) / Double(span), 1)
            return Float(base * 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
