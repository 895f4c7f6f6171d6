import KeepersCore
import KeepersNetwork

/// The self-supervised task of fault pretraining (`train.pretrain_steps`):
/// each batch holds pairs (photo, the same photo with one synthetic fault),
/// and the loss asks the network to score the photo above its copy by a
/// margin (RankIQA's ranking loss). No label is read, so it learns from the
/// user's own photos what blur, shake, noise, exposure, haze, colour casts,
/// lost resolution, tilt and missed focus look like.
struct FaultPretext {
    /// A pair counts as ranked when the photo scores above its copy by this much.
    static let margin: Float = 1
    /// XORed into `train.seed` for the pretext batches' sampler, so they are not the labelled batches.
    static let samplerSeed: UInt64 = 0x5052_4554_4558_5401
    private let random: CounterRandom

    init(seed: UInt64) {
        // A stream of its own: the labelled batches draw from CounterRandom(seed) unchanged.
        random = CounterRandom(seed: seed ^ 0x5052_4554_4558_5400)
    }

    /// The fault of pair `pair` at 0-based pretraining step `step`: the kind
    /// cycles so every batch sees different ones, the strength is drawn.
    func degradation(step: Int, pair: Int, pairs: Int) -> Degradation {
        let index = UInt64(step * pairs + pair)
        let kind = Int(random.bits(stream: 1, counter: index) % UInt64(Degradation.kinds))
        var draw: UInt64 = 0
        return Degradation.draw(kind: kind) {
            draw += 1
            return random.unit(stream: 2 + draw, counter: index)
        }
    }

    /// Slot i of a batch shows image `values[i / 2]` (its index, its flip):
    /// even slots the photo, odd slots its copy (an odd batch's last slot is
    /// a photo without a copy).
    static func slots<T>(_ values: [T], batchSize: Int) -> [T] {
        (0..<batchSize).map { values[$0 / 2] }
    }

    /// The mean hinge ranking loss over the pairs of `logits` (photo at 2j,
    /// copy at 2j + 1), the pairs ranked by the margin, and d loss / d logit.
    static func rankingLoss(logits: [Float]) -> (loss: Float, ranked: Int, dlogits: [Float]) {
        let pairs = logits.count / 2
        var (loss, ranked) = (Float(0), 0)
        var dlogits = [Float](repeating: 0, count: logits.count)
        for j in 0..<pairs {
            let gap = logits[2 * j] - logits[2 * j + 1]
            if gap >= margin {
                ranked += 1
            } else {
                loss += margin - gap
                dlogits[2 * j] = -1 / Float(pairs)
                dlogits[2 * j + 1] = 1 / Float(pairs)
            }
        }
        return (pairs > 0 ? loss / Float(pairs) : 0, ranked, dlogits)
    }
}
