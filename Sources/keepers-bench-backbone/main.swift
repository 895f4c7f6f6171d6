// Measures the pretrained backbone (docs/backbone.md) on oneDNN: images/s of
// EfficientNet-Lite0's features at 320x480 (H x W), one image per call as
// ingest and predict run it, after a warm-up: the median of 3 timed windows,
// like bench/backbone_torch.py, its PyTorch anchor in `make bench-backbone`.
//
// Usage: keepers-bench-backbone [--seconds 3] [--threads 2]
import ArgumentParser
import Foundation
import KeepersBackbone

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-bench-backbone",
        abstract: "Benchmark the pretrained backbone's features: images/s at 320x480.")

    @Option(help: "Seconds per timed window.") var seconds = 3.0
    @Option(help: "Compute threads.") var threads = 2

    func run() throws {
        let backbone = try BackboneWeightsFile.load(name: "efficientnet-lite0", threads: threads)
        let (height, width) = (320, 480)
        var state: UInt64 = 12345
        let pixels = (0..<(height * width * 3)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for _ in 0..<3 { _ = try backbone.features(pixels: pixels, height: height, width: width) }
        var rates: [Double] = []
        for _ in 0..<3 {
            let start = Date()
            var images = 0
            while Date().timeIntervalSince(start) < seconds {
                _ = try backbone.features(pixels: pixels, height: height, width: width)
                images += 1
            }
            rates.append(Double(images) / Date().timeIntervalSince(start))
        }
        let median = rates.sorted()[1]
        print(String(format: "keepers backbone 320x480 batch 1: %.1f images/s (windows %@), %d threads", median,
                     rates.map { String(format: "%.1f", $0) }.joined(separator: " "), threads))
    }
}

Options.main()
