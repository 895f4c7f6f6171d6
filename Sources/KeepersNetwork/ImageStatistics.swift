import Foundation

/// Twenty-two global statistics of one image that the head sees beside
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
    public static let count = 22
    public static let names = [
        "log1p_laplacian_variance", "log1p_mean_abs_laplacian", "log1p_mean_squared_gradient",
        "log1p_p99_abs_laplacian", "luminance_mean", "luminance_std", "luminance_p1", "luminance_p5",
        "luminance_p50", "luminance_p95", "luminance_p99", "luminance_p99_minus_p1",
        "fraction_below_8", "fraction_above_247", "colourfulness", "log1p_noise",
        "edges_within_1.5deg_of_axis", "edges_1.5_to_10deg_off_axis", "log1p_max_block_laplacian_variance",
        "log1p_median_block_laplacian_variance", "saturation_mean", "saturation_std",
    ]
    /// Sobel magnitude (max of |gx|, |gy|) from which an edge counts as strong.
    static let strongEdge: Int32 = 80
    static let axisTangent = tan(1.5 * Double.pi / 180), nearAxisTangent = tan(10 * Double.pi / 180)

    /// The statistics of one image, (3, height, width) normalised floats.
    public static func compute(_ image: UnsafePointer<Float>, height: Int, width: Int) -> [Float] {
        let n = height * width
        var luminance = [Int32](repeating: 0, count: n)
        var histogram = [Int](repeating: 0, count: 256)
        var sum = 0.0, sumSquares = 0.0
        var rg = (sum: 0.0, squares: 0.0), yb = (sum: 0.0, squares: 0.0), saturation = (sum: 0.0, squares: 0.0)
        @inline(__always) func pixel(_ x: Float) -> Int32 { Int32(min(max(((x + 0.5) * 255).rounded(), 0), 255)) }
        for i in 0..<n {
            let (r, g, b) = (pixel(image[i]), pixel(image[n + i]), pixel(image[2 * n + i]))
            let y = (299 * r + 587 * g + 114 * b + 500) / 1000
            luminance[i] = y
            histogram[Int(y)] += 1
            sum += Double(y)
            sumSquares += Double(y * y)
            let redGreen = Double(r - g), yellowBlue = Double(r + g) / 2 - Double(b)
            rg.sum += redGreen
            rg.squares += redGreen * redGreen
            yb.sum += yellowBlue
            yb.squares += yellowBlue * yellowBlue
            let chroma = Double(max(r, g, b) - min(r, g, b))
            saturation.sum += chroma
            saturation.squares += chroma * chroma
        }
        let count = Double(n)
        let mean = sum / count
        func variance(_ s: Double, _ squares: Double) -> Double { max(squares / count - (s / count) * (s / count), 0) }
        let colourfulness = (variance(rg.sum, rg.squares) + variance(yb.sum, yb.squares)).squareRoot()
            + 0.3 * ((rg.sum / count) * (rg.sum / count) + (yb.sum / count) * (yb.sum / count)).squareRoot()

        // The 4-neighbour Laplacian on interior pixels; |L| <= 4 * 255.
        var laplacianHistogram = [Int](repeating: 0, count: 4 * 255 + 1)
        var lap = (sum: 0.0, squares: 0.0, absolute: 0.0)
        var gradientSquares = (dx: 0.0, dy: 0.0)
        // The Laplacian's interior (height - 2) x (width - 2) in a 4 x 4 grid
        // of blocks (`blockIndex`).
        let (interiorHeight, interiorWidth) = (max(height - 2, 0), max(width - 2, 0))
        let rowBlock = blockIndex(interiorHeight), columnBlock = blockIndex(interiorWidth)
        var blocks = [(sum: Double, squares: Double, count: Int)](repeating: (0, 0, 0), count: 16)
        var edges = (strong: 0, axis: 0, nearAxis: 0)
        luminance.withUnsafeBufferPointer { y in
            for row in 1..<max(height - 1, 1) {
                for column in 1..<max(width - 1, 1) {
                    let i = row * width + column
                    let l = 4 * y[i] - y[i - 1] - y[i + 1] - y[i - width] - y[i + width]
                    lap.sum += Double(l)
                    lap.squares += Double(l * l)
                    lap.absolute += Double(abs(l))
                    laplacianHistogram[Int(abs(l))] += 1
                    let block = rowBlock[row - 1] * 4 + columnBlock[column - 1]
                    blocks[block].sum += Double(l)
                    blocks[block].squares += Double(l * l)
                    blocks[block].count += 1
                    // Sobel: how far strong edges lean from horizontal and vertical.
                    let gx = (y[i - width + 1] + 2 * y[i + 1] + y[i + width + 1]) - (y[i - width - 1] + 2 * y[i - 1] + y[i + width - 1])
                    let gy = (y[i + width - 1] + 2 * y[i + width] + y[i + width + 1]) - (y[i - width - 1] + 2 * y[i - width] + y[i - width + 1])
                    let (larger, smaller) = (max(abs(gx), abs(gy)), min(abs(gx), abs(gy)))
                    if larger >= Self.strongEdge {
                        edges.strong += 1
                        let ratio = Double(smaller) / Double(larger)
                        if ratio < Self.axisTangent { edges.axis += 1 } else if ratio < Self.nearAxisTangent { edges.nearAxis += 1 }
                    }
                }
            }
            // Every horizontal and every vertical neighbour pair once, so a
            // mirror image gives the same value.
            for row in 0..<height {
                for column in 0..<(width - 1) {
                    let dx = y[row * width + column + 1] - y[row * width + column]
                    gradientSquares.dx += Double(dx * dx)
                }
            }
            for i in 0..<(max(height - 1, 0) * width) {
                let dy = y[i + width] - y[i]
                gradientSquares.dy += Double(dy * dy)
            }
        }
        let interior = Double(max(height - 2, 0) * max(width - 2, 0))
        let lapMean = interior > 0 ? lap.sum / interior : 0
        let lapVariance = interior > 0 ? max(lap.squares / interior - lapMean * lapMean, 0) : 0
        let horizontalPairs = Double(height * max(width - 1, 0)), verticalPairs = Double(max(height - 1, 0) * width)
        let meanSquaredGradient = (horizontalPairs > 0 ? gradientSquares.dx / horizontalPairs : 0)
            + (verticalPairs > 0 ? gradientSquares.dy / verticalPairs : 0)

        let blockVariances = blocks.map { b in
            b.count > 0 ? max(b.squares / Double(b.count) - (b.sum / Double(b.count)) * (b.sum / Double(b.count)), 0) : 0
        }.sorted()
        let strong = Double(max(edges.strong, 1))
        let p = { (q: Double) in Double(percentile(histogram, count: n, q: q)) }
        let (p1, p99) = (p(0.01), p(0.99))
        let interiorCount = Int(interior)
        let values: [Double] = [
            log1p(lapVariance),
            log1p(interior > 0 ? lap.absolute / interior : 0),
            log1p(meanSquaredGradient),
            log1p(Double(percentile(laplacianHistogram, count: interiorCount, q: 0.99))),
            mean,
            variance(sum, sumSquares).squareRoot(),
            p1, p(0.05), p(0.5), p(0.95), p99, p99 - p1,
            Double(histogram[0..<8].reduce(0, +)) / count,
            Double(histogram[248...].reduce(0, +)) / count,
            colourfulness,
            // The mean of the 4 neighbours minus the pixel is -L/4.
            log1p(Double(percentile(laplacianHistogram, count: interiorCount, q: 0.5)) / 4),
            Double(edges.axis) / strong,
            Double(edges.nearAxis) / strong,
            log1p(blockVariances[15]),
            log1p((blockVariances[7] + blockVariances[8]) / 2),
            saturation.sum / count / 255,
            variance(saturation.sum, saturation.squares).squareRoot() / 255,
        ]
        return values.map { Float($0) }
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

/// Per-statistic mean and standard deviation over training images: the
/// dense layer sees (s - mean) / std. Computed once before training from the
/// training data, so it is a pure function of the data; stored in model.h5.
public struct StatisticsNormalisation: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    public static let identity = StatisticsNormalisation(
        mean: .init(repeating: 0, count: ImageStatistics.count), std: .init(repeating: 1, count: ImageStatistics.count))

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Mean and population standard deviation of `samples` (each 16 values),
    /// summed in order in Double; a constant statistic gets std 1.
    public init(samples: [[Float]]) {
        let n = Double(max(samples.count, 1))
        var mean = [Double](repeating: 0, count: ImageStatistics.count)
        var squares = mean
        for sample in samples {
            for k in 0..<ImageStatistics.count {
                mean[k] += Double(sample[k])
                squares[k] += Double(sample[k]) * Double(sample[k])
            }
        }
        mean = mean.map { $0 / n }
        let std = zip(squares, mean).map { max($0 / n - $1 * $1, 0).squareRoot() }
        self.mean = mean.map { Float($0) }
        self.std = std.map { $0 > 1e-6 ? Float($0) : 1 }
    }

    func apply(_ values: [Float]) -> [Float] {
        (0..<values.count).map { (values[$0] - mean[$0]) / std[$0] }
    }
}
