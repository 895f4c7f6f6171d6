import Foundation
@testable import KeepersNetwork

/// The image statistics as first written: one plain loop per pass, every
/// sum exact in Int64. The oracle for `ImageStatistics`, whose passes are
/// restructured for speed (vectorisable loops, a lean table, exact Int32
/// partial sums) and must give the same values to the bit.
enum ReferenceImageStatistics {
    static let strongEdge = ImageStatistics.strongEdge
    static let axisTangent = ImageStatistics.axisTangent, nearAxisTangent = ImageStatistics.nearAxisTangent
    static let leanBins = ImageStatistics.leanBins
    static let tiltWindowCentres = ImageStatistics.tiltWindowCentres
    static func blockIndex(_ length: Int) -> [Int] { ImageStatistics.blockIndex(length) }
    static func percentile(_ histogram: [Int], count: Int, q: Double) -> Int {
        ImageStatistics.percentile(histogram, count: count, q: q)
    }

    /// The statistics of one image, (3, height, width) normalised floats.
    /// Every sum is of integers (or halves), accumulated in Int64 and exact,
    /// so the order of summation cannot change a bit.
    static func compute(_ image: UnsafePointer<Float>, height: Int, width: Int) -> [Float] {
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

    /// Pixels back to integers, the luminance plane and its histogram, and
    /// the sums over pixels.
    private static func pixelPass(
        _ image: UnsafePointer<Float>, n: Int, luminance: UnsafeMutablePointer<Int32>, histogram: UnsafeMutablePointer<Int>
    ) -> PixelSums {
        // x = p / 255 - 0.5 lies within float round-off of p / 255 - 0.5, so
        // adding 0.5 and truncating rounds it to p.
        @inline(__always) func pixel(_ x: Float) -> Int32 { min(max(Int32((x + 0.5) * 255 + 0.5), 0), 255) }
        var sums = PixelSums()
        for i in 0..<n {
            let (r, g, b) = (pixel(image[i]), pixel(image[n + i]), pixel(image[2 * n + i]))
            let y = (299 * r + 587 * g + 114 * b + 500) / 1000
            luminance[i] = y
            histogram[Int(y)] += 1
            sums.luminance += Int64(y)
            sums.luminanceSquares += Int64(y * y)
            let redGreen = Int64(r - g), yellowBlue2 = Int64(r + g - 2 * b)
            sums.rg += redGreen
            sums.rgSquares += redGreen * redGreen
            sums.yb2 += yellowBlue2
            sums.yb2Squares += yellowBlue2 * yellowBlue2
            let chroma = Int64(max(r, g, b) - min(r, g, b))
            sums.chroma += chroma
            sums.chromaSquares += chroma * chroma
        }
        return sums
    }

    struct NeighbourSums {
        var laplacian: Int64 = 0, laplacianSquares: Int64 = 0, laplacianAbsolute: Int64 = 0
        var horizontalSquares: Int64 = 0, verticalSquares: Int64 = 0
        var blockSum = [Int64](repeating: 0, count: 16), blockSquares = [Int64](repeating: 0, count: 16)
        var blockCount = [Int64](repeating: 0, count: 16)
        var strongEdges = 0, axisEdges = 0, nearAxisEdges = 0
        /// Sobel weight max(|gx|, |gy|) of strong edges by lean bin, one row
        /// of `leanBins` per way of leaning (a mirror image swaps the rows).
        var lean = [Int64](repeating: 0, count: 2 * leanBins)

        /// A tilted horizon or tilted verticals: many strong edges leaning the
        /// same way by the same few degrees. The weight share of edges within
        /// 1 degree of an axis (level), the largest share in one tilt window
        /// leaning one way (peak), and log((peak + 0.001) / (level + 0.001)).
        func tilt() -> [Double] {
            let bins = leanBins
            let total = Double(max(lean.reduce(0, +), 1))
            let level = Double(lean[0] + lean[1] + lean[bins] + lean[bins + 1]) / total
            var peak: Int64 = 0
            for centre in tiltWindowCentres {
                for side in 0..<2 {
                    peak = max(peak, lean[(side * bins + centre - 2)..<(side * bins + centre + 2)].reduce(0, +))
                }
            }
            let peakShare = Double(peak) / total
            return [level, peakShare, log((peakShare + 0.001) / (level + 0.001))]
        }
    }

    /// The 4-neighbour Laplacian (|L| <= 4 * 255) and the Sobel gradient on
    /// interior pixels, and the squared differences of neighbour pairs.
    private static func neighbourPass(
        _ y: UnsafePointer<Int32>, height: Int, width: Int, histogram: UnsafeMutablePointer<Int>
    ) -> NeighbourSums {
        var sums = NeighbourSums()
        // The Laplacian's interior (height - 2) x (width - 2) in a 4 x 4 grid of blocks.
        let rowBlock = blockIndex(max(height - 2, 0)), columnBlock = blockIndex(max(width - 2, 0))
        var blockSum = [Int64](repeating: 0, count: 16), blockSquares = blockSum, blockCount = blockSum
        var lean = [Int64](repeating: 0, count: 2 * leanBins)
        for row in 1..<max(height - 1, 1) {
            let blockRow = rowBlock[row - 1] * 4
            var (rowSum, rowSquares, rowAbsolute) = (Int64(0), Int64(0), Int64(0))
            for column in 1..<max(width - 1, 1) {
                let i = row * width + column
                let l = 4 * y[i] - y[i - 1] - y[i + 1] - y[i - width] - y[i + width]
                let (l64, magnitude) = (Int64(l), Int(abs(l)))
                rowSum += l64
                rowSquares += l64 * l64
                rowAbsolute += Int64(magnitude)
                histogram[magnitude] += 1
                let block = blockRow + columnBlock[column - 1]
                blockSum[block] += l64
                blockSquares[block] += l64 * l64
                blockCount[block] += 1
                // Sobel: how far strong edges lean from horizontal and vertical.
                let gx = (y[i - width + 1] + 2 * y[i + 1] + y[i + width + 1]) - (y[i - width - 1] + 2 * y[i - 1] + y[i + width - 1])
                let gy = (y[i + width - 1] + 2 * y[i + width] + y[i + width + 1]) - (y[i - width - 1] + 2 * y[i - width] + y[i - width + 1])
                let (larger, smaller) = (max(abs(gx), abs(gy)), min(abs(gx), abs(gy)))
                if larger >= strongEdge {
                    sums.strongEdges += 1
                    let ratio = Double(smaller) / Double(larger)
                    if ratio < axisTangent { sums.axisEdges += 1 } else if ratio < nearAxisTangent { sums.nearAxisEdges += 1 }
                    let bin = min(Int(atan(ratio) * 360 / Double.pi), leanBins - 1)  // half degrees
                    // Which way it leans; the same for an edge and its 90-degree turn.
                    let side = (gx * gy > 0) == (abs(gx) >= abs(gy)) ? 0 : 1
                    lean[side * leanBins + bin] += Int64(larger)
                }
            }
            sums.laplacian += rowSum
            sums.laplacianSquares += rowSquares
            sums.laplacianAbsolute += rowAbsolute
        }
        (sums.blockSum, sums.blockSquares, sums.blockCount) = (blockSum, blockSquares, blockCount)
        sums.lean = lean
        // Every horizontal and every vertical neighbour pair once, so a
        // mirror image gives the same value.
        for row in 0..<height {
            for column in 0..<max(width - 1, 0) {
                let dx = Int64(y[row * width + column + 1] - y[row * width + column])
                sums.horizontalSquares += dx * dx
            }
        }
        for i in 0..<(max(height - 1, 0) * width) {
            let dy = Int64(y[i + width] - y[i])
            sums.verticalSquares += dy * dy
        }
        return sums
    }
}
