import Foundation
import Testing
@testable import KeepersNetwork

@Suite struct ImageStatisticsTests {
    /// (3, height, width) normalised input from RGB bytes given per pixel.
    static func input(height: Int, width: Int, pixel: (Int, Int) -> (Int, Int, Int)) -> [Float] {
        var values = [Float](repeating: 0, count: 3 * height * width)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(y, x)
                for (c, v) in [r, g, b].enumerated() { values[(c * height + y) * width + x] = Float(v) / 255 - 0.5 }
            }
        }
        return values
    }

    static func compute(_ values: [Float], height: Int, width: Int) -> [Float] {
        values.withUnsafeBufferPointer { ImageStatistics.compute($0.baseAddress!, height: height, width: width) }
    }

    @Test func aFlatGreyImageHasNoEdgesNoNoiseAndOneLevel() {
        let stats = Self.compute(Self.input(height: 12, width: 20) { _, _ in (100, 100, 100) }, height: 12, width: 20)
        #expect(stats.count == ImageStatistics.count && ImageStatistics.names.count == ImageStatistics.count)
        #expect(stats[0] == 0 && stats[1] == 0 && stats[2] == 0 && stats[3] == 0)
        #expect(stats[4] == 100 && stats[5] == 0)
        #expect(Array(stats[6...10]) == [100, 100, 100, 100, 100] && stats[11] == 0)
        #expect(stats[12] == 0 && stats[13] == 0 && stats[14] == 0 && stats[15] == 0)
        #expect(Array(stats[16...]) == [0, 0, 0, 0, 0, 0, 0, 0, 0])  // no edges, flat blocks, grey, no lean
    }

    /// Left half black, right half white: the exposure statistics follow
    /// from counting, the Laplacian lives on the two columns at the edge.
    @Test func aHardEdgeGivesTheCountedValues() {
        let (height, width) = (10, 20)
        let stats = Self.compute(Self.input(height: height, width: width) { _, x in x < 10 ? (0, 0, 0) : (255, 255, 255) },
                                 height: height, width: width)
        #expect(stats[4] == 127.5)
        #expect(stats[6] == 0 && stats[8] == 0 && stats[10] == 255 && stats[11] == 255)
        #expect(stats[12] == 0.5 && stats[13] == 0.5)
        // Interior 8 x 18: columns 9 and 10 hold L = -255 and +255, the rest 0.
        let interior = 8.0 * 18.0, edge = 16.0
        let meanAbs = edge * 255 / interior
        #expect(abs(Double(stats[1]) - log1p(meanAbs)) < 1e-5)
        #expect(abs(Double(stats[0]) - log1p(edge * 255 * 255 / interior)) < 1e-3)  // the +-255 cancel in the mean
        #expect(stats[3] == Float(log1p(255.0)))  // |L| = 255 on 16 of 144 pixels: above the 99th percentile rank
        #expect(stats[15] == 0)  // the median |L| is 0
        #expect(stats[14] == 0)  // grey levels only
        // Sobel sees one vertical edge: every strong edge is on an axis.
        #expect(stats[16] == 1 && stats[17] == 0)
        // 4 x 4 blocks of the 8 x 18 interior (edges 0, 4, 9, 14, 18 and 0, 2,
        // 4, 6, 8): columns 8 and 9 fall in blocks of 5 x 2 pixels, two of
        // them +-255: variance 2 * 255^2 / 10 - (2 * 255 / 10)^2 = 10,404.
        #expect(stats[18] == Float(log1p(10_404.0)))
        #expect(stats[19] == Float(log1p(10_404.0 / 2)))  // median of eight 0s and eight 10,404s
        #expect(stats[20] == 0 && stats[21] == 0)
    }

    /// A horizon 5 degrees off level (anti-aliased, as a lens draws it) has
    /// its strong edges off the axes; a level one has them on the axis.
    @Test func aTiltedHorizonLeansOffTheAxes() {
        let (height, width) = (40, 60)
        func horizon(degrees: Double) -> [Float] {
            let (sine, cosine) = (sin(degrees * Double.pi / 180), cos(degrees * Double.pi / 180))
            return Self.compute(Self.input(height: height, width: width) { y, x in
                let distance = (Double(y) - 20) * cosine - (Double(x) - 30) * sine  // signed, in pixels
                let v = Int((30 + 190 * min(max(0.5 + distance / 2, 0), 1)).rounded())
                return (v, v, v)
            }, height: height, width: width)
        }
        let tilted = horizon(degrees: 5), level = horizon(degrees: 0), otherWay = horizon(degrees: -5)
        #expect(tilted[16] < 0.2 && tilted[17] > 0.8, "axis \(tilted[16]), near \(tilted[17])")
        #expect(level[16] == 1 && level[17] == 0)
        // The weighted lean histogram: one 2-degree window holds most of a
        // tilted horizon's weight, whichever way it leans; none of a level one's.
        #expect(tilted[22] < 0.2 && tilted[23] > 0.5 && tilted[24] > 5, "level \(tilted[22]), peak \(tilted[23])")
        #expect(abs(otherWay[23] - tilted[23]) < 0.05 && otherWay[24] > 5)
        #expect(level[22] == 1 && level[23] == 0 && level[24] < -6)
    }

    @Test func saturationOfAFlatColour() {
        let stats = Self.compute(Self.input(height: 8, width: 8) { _, _ in (200, 40, 40) }, height: 8, width: 8)
        #expect(abs(stats[20] - 160.0 / 255) < 1e-6 && stats[21] == 0)
    }

    @Test func statisticsAreTheSameForTheMirrorImage() {
        var random = SystemRandomNumberGenerator()
        let (height, width) = (17, 24)  // an even width: the block grid is symmetric
        let pixels = (0..<(height * width)).map { _ in (Int.random(in: 0...255, using: &random), Int.random(in: 0...255, using: &random), Int.random(in: 0...255, using: &random)) }
        let original = Self.input(height: height, width: width) { y, x in pixels[y * width + x] }
        let mirrored = Self.input(height: height, width: width) { y, x in pixels[y * width + width - 1 - x] }
        let a = Self.compute(original, height: height, width: width), b = Self.compute(mirrored, height: height, width: width)
        // Integer sums are exact in Double whatever their order: equal to the bit.
        #expect(a == b)
    }

    @Test func normalisationStandardisesAndGuardsConstantStatistics() {
        let samples: [[Float]] = [[Float](repeating: 1, count: ImageStatistics.count), [Float](repeating: 3, count: ImageStatistics.count)].map { row in
            var row = row
            row[5] = 7  // constant across samples
            return row
        }
        let n = StatisticsNormalisation(samples: samples)
        #expect(n.mean[0] == 2 && n.std[0] == 1)
        #expect(n.mean[5] == 7 && n.std[5] == 1)
        #expect(n.apply(samples[1])[0] == 1 && n.apply(samples[0])[5] == 0)
    }

    @Test func nearestRankPercentileOfAHistogram() {
        // values 0,0,1,2,2,2,5 (n = 7)
        let histogram = [2, 1, 3, 0, 0, 1]
        #expect(ImageStatistics.percentile(histogram, count: 7, q: 0) == 0)
        #expect(ImageStatistics.percentile(histogram, count: 7, q: 0.5) == 2)   // index 3
        #expect(ImageStatistics.percentile(histogram, count: 7, q: 0.99) == 2)  // index floor(5.94) = 5
        #expect(ImageStatistics.percentile(histogram, count: 7, q: 1) == 5)
    }
}

/// The fast passes against the plain reference: the same 25 values to the
/// bit on noise, smooth gradients with edges, flat and clipped images, and
/// every degenerate size (no interior, one row, one column).
@Suite struct ImageStatisticsMatchTheReferenceTests {
    static func same(_ values: [Float], height: Int, width: Int, _ comment: Comment) {
        let (fast, reference) = values.withUnsafeBufferPointer {
            (ImageStatistics.compute($0.baseAddress!, height: height, width: width),
             ReferenceImageStatistics.compute($0.baseAddress!, height: height, width: width))
        }
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), comment)
    }

    @Test(arguments: [(1, 1), (1, 7), (7, 1), (2, 2), (3, 3), (3, 17), (17, 3), (16, 16), (33, 47), (320, 480), (480, 272)])
    func noiseMatchesToTheBit(height: Int, width: Int) {
        var random = SystemRandomNumberGenerator()
        let values = (0..<(3 * height * width)).map { _ in Float(Int.random(in: 0...255, using: &random)) / 255 - 0.5 }
        Self.same(values, height: height, width: width, "noise \(height)x\(width)")
    }

    /// A photo-like image: a tilted horizon over gradients, soft noise and
    /// clipped highlights, with values off the exact p / 255 - 0.5 grid and
    /// outside -0.5...0.5 (augmented or resampled input).
    @Test(arguments: [0.0, 3.5, -7.0, 45.0])
    func photoLikeImagesMatchToTheBit(degrees: Double) {
        let (height, width) = (96, 144)
        var random = SystemRandomNumberGenerator()
        let (sine, cosine) = (sin(degrees * Double.pi / 180), cos(degrees * Double.pi / 180))
        var values = [Float](repeating: 0, count: 3 * height * width)
        for y in 0..<height {
            for x in 0..<width {
                let distance = (Double(y) - 48) * cosine - (Double(x) - 72) * sine
                let sky = distance < 0 ? 1.2 - Double(y) / 200 : 0.1 + Double(x) / 400
                for c in 0..<3 {
                    let jitter = Double.random(in: -0.02...0.02, using: &random)
                    values[(c * height + y) * width + x] = Float(sky * (0.8 + 0.1 * Double(c)) + jitter - 0.5)
                }
            }
        }
        Self.same(values, height: height, width: width, "horizon at \(degrees) degrees")
    }

    @Test func flatAndExtremeImagesMatchToTheBit() {
        for (value, name) in [(Float(-0.5), "black"), (0.5, "white"), (-3, "below black"), (3, "above white"), (0.1, "grey")] {
            Self.same([Float](repeating: value, count: 3 * 20 * 30), height: 20, width: 30, "\(name)")
        }
    }
}
