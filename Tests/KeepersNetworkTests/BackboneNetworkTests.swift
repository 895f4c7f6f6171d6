import Foundation
import Testing
@testable import KeepersNetwork

/// The backbone's oneDNN graph against a direct loop-by-loop evaluation of
/// the same layers: strides, asymmetric padding, depthwise groups, ReLU6 and
/// residual adds on random weights, at shapes that do not divide evenly.
@Suite struct BackboneNetworkTests {
    /// A miniature MobileNet: stem, one block with a residual, one strided
    /// depthwise block with asymmetric padding, a widening 1x1 head.
    static func layers() -> [BackboneConvolution] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ count: Int, scale: Float) -> [Float] {
            (0..<count).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (Float(seed >> 40) / Float(1 << 24) - 0.5) * 2 * scale
            }
        }
        func conv(_ cin: Int, _ cout: Int, groups: Int = 1, k: Int, stride: Int = 1, padding: [Int],
                  relu6: Bool = true, residual: Int? = nil) -> BackboneConvolution {
            BackboneConvolution(inputChannels: cin, outputChannels: cout, groups: groups, kernelHeight: k, kernelWidth: k,
                                stride: stride, padding: padding, activation: relu6 ? .relu6 : .none, residual: residual,
                                kernel: random(cout * cin / groups * k * k, scale: 1.2), bias: random(cout, scale: 0.5))
        }
        return [
            conv(3, 8, k: 3, stride: 2, padding: [1, 1, 1, 1]),
            conv(8, 16, k: 1, padding: [0, 0, 0, 0]),
            conv(16, 16, groups: 16, k: 3, padding: [1, 1, 1, 1]),
            conv(16, 8, k: 1, padding: [0, 0, 0, 0], relu6: false, residual: 1),
            conv(8, 24, k: 1, padding: [0, 0, 0, 0]),
            conv(24, 24, groups: 24, k: 5, stride: 2, padding: [1, 1, 2, 2]),
            conv(24, 12, k: 1, padding: [0, 0, 0, 0], relu6: false),
            conv(12, 40, k: 1, padding: [0, 0, 0, 0]),
        ]
    }

    /// Direct evaluation in Double: (C, H, W) in, pooled features out.
    static func reference(_ layers: [BackboneConvolution], image: [Float], height: Int, width: Int) -> [Double] {
        var inputs: [[Double]] = []
        var x = image.map(Double.init)
        var (h, w) = (height, width)
        for layer in layers {
            inputs.append(x)
            let (oh, ow) = layer.outputSize(height: h, width: w)
            let (cinGroup, coutGroup) = (layer.inputChannels / layer.groups, layer.outputChannels / layer.groups)
            var y = [Double](repeating: 0, count: layer.outputChannels * oh * ow)
            for o in 0..<layer.outputChannels {
                let group = o / coutGroup
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = Double(layer.bias[o])
                        for i in 0..<cinGroup {
                            let channel = group * cinGroup + i
                            for ky in 0..<layer.kernelHeight {
                                let iy = oy * layer.stride + ky - layer.padding[0]
                                guard iy >= 0, iy < h else { continue }
                                for kx in 0..<layer.kernelWidth {
                                    let ix = ox * layer.stride + kx - layer.padding[1]
                                    guard ix >= 0, ix < w else { continue }
                                    let k = ((o * cinGroup + i) * layer.kernelHeight + ky) * layer.kernelWidth + kx
                                    sum += Double(layer.kernel[k]) * x[(channel * h + iy) * w + ix]
                                }
                            }
                        }
                        if layer.activation == .relu6 { sum = min(max(sum, 0), 6) }
                        y[(o * oh + oy) * ow + ox] = sum
                    }
                }
            }
            if let residual = layer.residual { for index in y.indices { y[index] += inputs[residual][index] } }
            (x, h, w) = (y, oh, ow)
        }
        let positions = Double(h * w)
        return (0..<layers.last!.outputChannels).map { c in x[(c * h * w)..<((c + 1) * h * w)].reduce(0, +) / positions }
    }

    static func image(height: Int, width: Int, phase: Float) -> [Float] {
        (0..<(3 * height * width)).map { (index: Int) -> Float in sin(Float(index) * 0.37 + phase) * 1.5 }
    }

    @Test(arguments: [(17, 23), (32, 48), (9, 40)])
    func matchesDirectEvaluation(height: Int, width: Int) throws {
        let layers = Self.layers()
        let network = try BackboneNetwork(layers: layers, threads: 2)
        let image = Self.image(height: height, width: width, phase: 0.3)
        let features = try image.withUnsafeBufferPointer { try network.features(image: $0, height: height, width: width) }
        let expected = Self.reference(layers, image: image, height: height, width: width)
        #expect(features.count == 40)
        let scale = expected.map(abs).max()!
        #expect(scale > 0.1)  // not all clipped to zero: the comparison means something
        for (got, want) in zip(features, expected) { #expect(abs(Double(got) - want) <= 1e-4 * scale) }
    }

    /// With room for one plan, alternating shapes recompiles every call and
    /// must give the same bits as keeping both plans.
    @Test func evictedPlansGiveTheSameFeatures() throws {
        let layers = Self.layers()
        let small = try BackboneNetwork(layers: layers, threads: 1, planLimit: 1)
        let roomy = try BackboneNetwork(layers: layers, threads: 1, planLimit: 4)
        let shapes = [(20, 28), (28, 20), (20, 28)]
        for (height, width) in shapes {
            let image = Self.image(height: height, width: width, phase: Float(height))
            let a = try image.withUnsafeBufferPointer { try small.features(image: $0, height: height, width: width) }
            let b = try image.withUnsafeBufferPointer { try roomy.features(image: $0, height: height, width: width) }
            #expect(a == b)
        }
        #expect(small.plannedShapes.count == 1)
        #expect(roomy.plannedShapes.count == 2)
    }

    @Test func refusesLayersThatDoNotChain() throws {
        var layers = Self.layers()
        layers.remove(at: 1)  // the depthwise layer now receives 8 channels, expects 16
        #expect(throws: NetworkError.self) { try BackboneNetwork(layers: layers, threads: 1) }
        #expect(throws: NetworkError.self) {
            try BackboneNetwork(layers: Self.layers(), threads: 1).features(image: UnsafeBufferPointer(start: nil, count: 0),
                                                                          height: 4, width: 4)
        }
    }
}
