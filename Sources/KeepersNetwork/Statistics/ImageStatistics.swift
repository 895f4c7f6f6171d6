import Foundation

/// Twenty-five global statistics of one image that the head sees beside
/// the pooled convolution features. A global average of ReLU features cannot
/// express order statistics (percentiles, clipping, contrast) well, and on
/// real photos those carry much of what separates a keeper from a reject
/// (docs/model.md, "Image statistics", has the exact definitions and a NumPy
/// version). They are computed from the network's own input, so every caller
/// (training, validation, report, predict) gets the same values.
///
/// Everything is computed on integer pixels: each input value x = p/255 - 0.5
/// is turned back into p = round((x + 0.5) * 255), and the luminance is the
/// integer Y = (299 R + 587 G + 114 B + 500) / 1000 (0...255). Percentiles are
/// nearest-rank: the element at index floor(q (n - 1)) of the sorted values.
/// Sums run in a fixed order in Double, so the result is deterministic.
public enum ImageStatistics {
    public static let count = 25
    public static let names = [
        "log1p_laplacian_variance", "log1p_mean_abs_laplacian", "log1p_mean_squared_gradient",
        "log1p_p99_abs_laplacian", "luminance_mean", "luminance_std", "luminance_p1", "luminance_p5",
        "luminance_p50", "luminance_p95", "luminance_p99", "luminance_p99_minus_p1",
        "fraction_below_8", "fraction_above_247", "colourfulness", "log1p_noise",
        "edges_within_1.5deg_of_axis", "edges_1.5_to_10deg_off_axis", "log1p_max_block_laplacian_variance",
        "log1p_median_block_laplacian_variance", "saturation_mean", "saturation_std",
        "edge_weight_within_1deg_of_axis", "edge_weight_peak_1.5_to_11deg_off_axis", "log_tilt_peak_over_level",
    ]
    /// Sobel magnitude (max of |gx|, |gy|) from which an edge counts as strong.
    static let strongEdge: Int32 = 80
    static let axisTangent = tan(1.5 * Double.pi / 180), nearAxisTangent = tan(10 * Double.pi / 180)
    /// Strong edges' lean off the nearest axis, in half-degree bins 0...90.
    static let leanBins = 91
    /// Tilt windows: 2 degrees wide, centred every half degree from 2.5 to
    /// 10 degrees (bins centre - 2 ..< centre + 2). Photographers' tilted
    /// horizons and verticals lie there; 1-2 degrees is within hand-held levelling.
    static let tiltWindowCentres = 5...20

    /// The statistics of one image, (3, height, width) normalised floats.
    /// Every sum is of integers (or halves), accumulated in Int64 and exact,
    /// so the order of summation cannot change a bit.
    public static func compute(_ image: UnsafePointer<Float>, height: Int, width: Int) -> [Float] {
        let n = height * width
        let luminance = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { luminance.deallocate() }
        var histogram = [Int](repeating: 0, count: 256)
        var pixels = PixelSums()
        histogram.withUnsafeMutableBufferPointer { histogram in
            pixels = pixelPass(image, n: n, luminance: luminance, histogram: histogram.baseAddress!)
        }
        var laplacianHistogram = [Int](repeating: 0, count: 4 * 255 + 1)
        var neighbours = NeighbourSums()
        laplacianHistogram.withUnsafeMutableBufferPointer { histogram in
            neighbours = neighbourPass(luminance, height: height, width: width, histogram: histogram.baseAddress!)
        }
        return values(pixels: pixels, neighbours: neighbours, histogram: histogram, laplacianHistogram: laplacianHistogram,
                      height: height, width: width)
    }

    /// The 25 statistics from the passes' sums and histograms.
    static func values(
        pixels: PixelSums, neighbours: NeighbourSums, histogram: [Int], laplacianHistogram: [Int], height: Int, width: Int
    ) -> [Float] {
        let n = height * width
        let count = Double(n)
        func mean(_ sum: Int64, _ of: Double) -> Double { of > 0 ? Double(sum) / of : 0 }
        func variance(_ sum: Double, _ squares: Double, _ of: Double) -> Double {
            of > 0 ? max(squares / of - (sum / of) * (sum / of), 0) : 0
        }
        // yb = (r + g) / 2 - b is summed doubled: Σ 2yb and Σ (2yb)^2.
        let (ybSum, ybSquares) = (Double(pixels.yb2) / 2, Double(pixels.yb2Squares) / 4)
        let colourfulness = (variance(Double(pixels.rg), Double(pixels.rgSquares), count)
                             + variance(ybSum, ybSquares, count)).squareRoot()
            + 0.3 * ((Double(pixels.rg) / count) * (Double(pixels.rg) / count) + (ybSum / count) * (ybSum / count)).squareRoot()
        let interior = Double(max(height - 2, 0) * max(width - 2, 0))
        let horizontalPairs = Double(height * max(width - 1, 0)), verticalPairs = Double(max(height - 1, 0) * width)
        let blockVariances = (0..<16).map { b in
            variance(Double(neighbours.blockSum[b]), Double(neighbours.blockSquares[b]), Double(neighbours.blockCount[b]))
        }.sorted()
        let strong = Double(max(neighbours.strongEdges, 1))
        let p = { (q: Double) in Double(percentile(histogram, count: n, q: q)) }
        let (p1, p99) = (p(0.01), p(0.99))
        let interiorCount = Int(interior)
        let values: [Double] = [
            log1p(variance(Double(neighbours.laplacian), Double(neighbours.laplacianSquares), interior)),
            log1p(mean(neighbours.laplacianAbsolute, interior)),
            log1p(mean(neighbours.horizontalSquares, horizontalPairs) + mean(neighbours.verticalSquares, verticalPairs)),
            log1p(Double(percentile(laplacianHistogram, count: interiorCount, q: 0.99))),
            Double(pixels.luminance) / count,
            variance(Double(pixels.luminance), Double(pixels.luminanceSquares), count).squareRoot(),
            p1, p(0.05), p(0.5), p(0.95), p99, p99 - p1,
            Double(histogram[0..<8].reduce(0, +)) / count,
            Double(histogram[248...].reduce(0, +)) / count,
            colourfulness,
            // The mean of the 4 neighbours minus the pixel is -L/4.
            log1p(Double(percentile(laplacianHistogram, count: interiorCount, q: 0.5)) / 4),
            Double(neighbours.axisEdges) / strong,
            Double(neighbours.nearAxisEdges) / strong,
            log1p(blockVariances[15]),
            log1p((blockVariances[7] + blockVariances[8]) / 2),
            Double(pixels.chroma) / count / 255,
            variance(Double(pixels.chroma), Double(pixels.chromaSquares), count).squareRoot() / 255,
        ] + neighbours.tilt()
        return values.map { Float($0) }
    }

    struct PixelSums {
        var luminance: Int64 = 0, luminanceSquares: Int64 = 0
        var rg: Int64 = 0, rgSquares: Int64 = 0, yb2: Int64 = 0, yb2Squares: Int64 = 0
        var chroma: Int64 = 0, chromaSquares: Int64 = 0
    }

    struct NeighbourSums {
        var laplacian: Int64 = 0, laplacianSquares: Int64 = 0, laplacianAbsolute: Int64 = 0
        var horizontalSquares: Int64 = 0, verticalSquares: Int64 = 0
        var blockSum = [Int64](repeating: 0, count: 16), blockSquares = [Int64](repeating: 0, count: 16)
        var blockCount = [Int64](repeating: 0, count: 16)
        var strongEdges = 0, axisEdges = 0, nearAxisEdges = 0
        /// Sobel weight max(|gx|, |gy|) of strong edges by lean bin, one row
        /// of `leanBins` per way of leaning (a mirror image swaps the rows).
        var lean = [Int64](repeating: 0, count: 2 * ImageStatistics.leanBins)

        /// A tilted horizon or tilted verticals: many strong edges leaning the
        /// same way by the same few degrees. The weight share of edges within
        /// 1 degree of an axis (level), the largest share in one tilt window
        /// leaning one way (peak), and log((peak + 0.001) / (level + 0.001)).
        func tilt() -> [Double] {
            let bins = ImageStatistics.leanBins
            let total = Double(max(lean.reduce(0, +), 1))
            let level = Double(lean[0] + lean[1] + lean[bins] + lean[bins + 1]) / total
            var peak: Int64 = 0
            for centre in ImageStatistics.tiltWindowCentres {
                for side in 0..<2 {
                    peak = max(peak, lean[(side * bins + centre - 2)..<(side * bins + centre + 2)].reduce(0, +))
                }
            }
            let peakShare = Double(peak) / total
            return [level, peakShare, log((peakShare + 0.001) / (level + 0.001))]
        }
    }

    /// For each index 0..<length, its block 0..<4 between the edges 0,
    /// n / 4, n / 2, n - n / 4, n (integer division): symmetric for an even
    /// length, so a mirror image has the same blocks, mirrored.
    static func blockIndex(_ length: Int) -> [Int] {
        let edges = [0, length / 4, length / 2, length - length / 4, length]
        var result = [Int](repeating: 0, count: length)
        for i in 0..<4 { for index in edges[i]..<edges[i + 1] { result[index] = i } }
        return result
    }

    /// Nearest-rank percentile of values given as a histogram of 0, 1, 2, ...:
    /// the value at index floor(q (count - 1)) of the sorted values (0 if empty).
    static func percentile(_ histogram: [Int], count: Int, q: Double) -> Int {
        guard count > 0 else { return 0 }
        let rank = Int((q * Double(count - 1)).rounded(.down))
        var seen = 0
        for (value, frequency) in histogram.enumerated() {
            seen += frequency
            if seen > rank { return value }
        }
        return histogram.count - 1
    }
}
