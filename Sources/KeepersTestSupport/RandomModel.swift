import Foundation
import KeepersCore
import KeepersImaging
import KeepersModel
import KeepersNetwork

/// A model.h5 with random weights, for tests of what reads one (predict,
/// its page, the reasons), which do not care how good the model is.
public enum RandomModel {
    /// One small convolution, no model of the statistics, photos stored
    /// `width` wide, and the good photos' statistics of `good` (each
    /// preprocessed from a JPEG as predict would), so that reasons name faults.
    public static func write(to url: URL, width: Int, good: [RGBImage], seed: UInt64 = 7) throws {
        var settings = ModelSettings()
        settings.layers = [ConvLayerSpec(filters: 4, pool: true)]
        settings.additive = nil
        let network = try Network(model: settings, seed: seed, threads: 1)
        var metadata = ModelMetadata(model: settings, step: 30, trainedSteps: 30, valAUC: 0.75,
                                     parameterCount: network.parameterCount, positiveClass: "good", negativeClass: "bad")
        metadata.preprocessing.width = width
        let preprocessor = try PhotoPreprocessor(settings: metadata.preprocessing, maxPixels: metadata.maxPixels)
        let statistics = try good.map { image in
            let preprocessed = try preprocessor.process(try PhotoEncoder.encode(image, as: .jpeg))
            return InputNormalisation.normalised(preprocessed.pixels, height: preprocessed.height, width: preprocessed.width)
                .withUnsafeBufferPointer {
                    ImageStatistics.compute($0.baseAddress!, height: preprocessed.height, width: preprocessed.width)
                }
        }
        let normalisation = StatisticsNormalisation(samples: statistics)
        metadata.goodStatistics = GoodStatistics(good: statistics, floor: normalisation.std)
        try ModelFile.write(network.parameterTensors(), metadata: metadata, statistics: normalisation, to: url)
    }
}
