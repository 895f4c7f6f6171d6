import KeepersCore
import Testing
@testable import KeepersNetwork

/// A hand-built network whose only filter responds to red: its class
/// activation map must light up where the red is, and nowhere else.
@Suite struct ActivationMapTests {
    @Test func camLightsUpWhereTheFilterResponds() throws {
        var model = ModelSettings()
        model.layers = [ConvLayerSpec(filters: 1, pool: false)]
        (model.pooling, model.statistics, model.hidden, model.flipAverage) = (.average, false, 0, false)
        let network = try Network(model: model, seed: 1, threads: 1)
        var kernel = [Float](repeating: 0, count: 1 * 3 * 3 * 3)
        kernel[4] = 1  // red channel, centre tap: output = red input
        try network.loadParameters([
            NamedTensor(name: "conv1.kernel", shape: [1, 3, 3, 3], values: kernel),
            NamedTensor(name: "conv1.bias", shape: [1], values: [0]),
            NamedTensor(name: "dense.kernel", shape: [1, 1], values: [2]),
            NamedTensor(name: "dense.bias", shape: [1], values: [0]),
        ])
        // 16x16 photo, red in the top-left 8x8 quadrant, grey elsewhere.
        let (h, w) = (16, 16)
        var pixels = [UInt8](repeating: 128, count: h * w * 3)
        for y in 0..<8 { for x in 0..<8 { pixels[(y * w + x) * 3] = 255; pixels[(y * w + x) * 3 + 1] = 0 } }
        let maps = try network.classActivationMaps(input: InputNormalisation.normalised(pixels, height: h, width: w),
                                                   batch: 1, height: h, width: w)
        #expect(maps.height == h && maps.width == w)
        func mean(_ ys: Range<Int>, _ xs: Range<Int>) -> Float {
            var sum: Float = 0
            for y in ys { for x in xs { sum += maps.values[y * w + x] } }
            return sum / Float(ys.count * xs.count)
        }
        let hot = mean(1..<7, 1..<7), cold = mean(9..<15, 9..<15)
        #expect(abs(hot - 2 * 0.5) < 1e-5)  // ReLU(red 255 -> +0.5) x dense weight 2
        #expect(abs(cold - 2 * (128 / 255 - 0.5)) < 1e-5)  // grey 128 -> +0.002
        #expect(hot > 100 * cold)
    }
}
