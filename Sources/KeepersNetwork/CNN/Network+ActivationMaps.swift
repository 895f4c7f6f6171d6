/// Class activation maps (Zhou et al. 2016): the last convolution's feature
/// maps weighted by the dense kernel, one (height, width) map per image, at
/// feature-map resolution.
public struct ActivationMaps: Sendable, Equatable {
    public let batch: Int
    public let height: Int
    public let width: Int
    /// (batch, height, width), row-major.
    public let values: [Float]
}

extension Network {
    /// Class activation maps for a batch (N, 3, height, width): the last
    /// feature maps weighted by how much the logit grows with each channel's
    /// pooled value (d logit / d average + d logit / d max, as Grad-CAM does
    /// on the pooled features). For the seed's head (average pooling, dense)
    /// the weights are the dense kernel and the maps average to the logit
    /// minus the bias. The statistics have no position and add nothing.
    public func classActivationMaps(input: [Float], batch: Int, height: Int, width: Int) throws -> ActivationMaps {
        try checkCount(input, batch: batch, height: height, width: width)
        let (plan, head) = try input.withUnsafeBufferPointer { input in
            let statistics = standardisedStatistics(input.baseAddress!, batch: batch, height: height, width: width)
            let plan = try runConvolutions(input: input.baseAddress!, batch: batch, height: height, width: width,
                                           training: false)
            return (plan, headInput(plan, statistics: statistics, batch: batch))
        }
        let (c, s, d) = (plan.featureChannels, plan.featureHeight * plan.featureWidth, architecture.headInputs)
        let feature = features(plan)
        let hidden = architecture.head.forward(head.values, n: batch, parameters: parameters.baseAddress!).hidden
        let slope = architecture.head.backward(  // (N, D)
            dlogits: [Float](repeating: 1, count: batch), input: head.values, hidden: hidden, n: batch,
            parameters: parameters.baseAddress!, gradients: gradients.baseAddress!)
        let maxWeights = architecture.pooling == .averageMax
        var maps = [Float](repeating: 0, count: batch * s)  // (N, S)
        for b in 0..<batch {
            for k in 0..<c {
                let weight = slope[b * d + k] + (maxWeights ? slope[b * d + c + k] : 0)
                let plane = feature + (b * c + k) * s
                for i in 0..<s { maps[b * s + i] += weight * plane[i] }
            }
        }
        return ActivationMaps(batch: batch, height: plan.featureHeight, width: plan.featureWidth, values: maps)
    }
}
