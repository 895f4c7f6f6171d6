import Foundation
import KeepersNetwork

/// A pretrained backbone ready to run: its network on oneDNN, the input
/// normalisation it was trained with, its identity, and the ImageNet
/// classifier (for checking it against a reference, and for nothing else).
public final class PretrainedBackbone {
    public let identity: BackboneIdentity
    public let featureCount: Int
    /// Per RGB channel, on 0-255 values: the input is (pixel - mean) / std.
    public let mean: [Float], std: [Float]
    private let network: BackboneNetwork
    private let classifier: (kernel: [Float], bias: [Float])?

    init(identity: BackboneIdentity, network: BackboneNetwork, mean: [Float], std: [Float],
         classifier: (kernel: [Float], bias: [Float])?) {
        self.identity = identity
        self.network = network
        featureCount = network.featureCount
        self.mean = mean
        self.std = std
        self.classifier = classifier
    }

    /// The features of one image, `pixels` uint8 RGB (height, width, 3).
    public func features(pixels: [UInt8], height: Int, width: Int) throws -> [Float] {
        guard pixels.count == height * width * 3 else {
            throw BackboneError("\(pixels.count) bytes for a \(width)x\(height) RGB image")
        }
        let input = normalised(pixels, height: height, width: width)
        return try input.withUnsafeBufferPointer { try network.features(image: $0, height: height, width: width) }
    }

    /// ImageNet logits from features (1,000 classes).
    public func classLogits(features: [Float]) throws -> [Float] {
        guard let classifier else { throw BackboneError("\(identity) has no classifier") }
        let classes = classifier.bias.count
        return (0..<classes).map { c in
            var sum = classifier.bias[c]
            for (index, value) in features.enumerated() { sum += classifier.kernel[c * featureCount + index] * value }
            return sum
        }
    }

    /// uint8 HWC to float CHW, (pixel - mean) / std per channel, by lookup table.
    private func normalised(_ pixels: [UInt8], height: Int, width: Int) -> [Float] {
        let plane = height * width
        let tables = (0..<3).map { c in (0..<256).map { (Float($0) - mean[c]) / std[c] } }
        var result = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            let table = tables[c]
            for index in 0..<plane { result[c * plane + index] = table[Int(pixels[index * 3 + c])] }
        }
        return result
    }
}
