import Foundation
@testable import KeepersNetwork

/// The image statistics' two passes as first written: one plain loop each,
/// every sum exact in Int64, `atan` per strong edge. The oracle for
/// `ImageStatistics`' passes, which are restructured for speed (vectorisable
/// loops, a lean table, exact Int32 partial sums) and must give the same
/// sums, so the same 25 values, to the bit; both turn sums into values
/// with `ImageStatistics.values`.
enum ReferenceImageStatistics {
    static let strongEdge = ImageStatistics.strongEdge
    static let axisTangent = ImageStatistics.axisTangent, nearAxisTangent = ImageStatistics.nearAxisTangent
    static let leanBins = ImageStatistics.leanBins
    static func blockIndex(_ length: Int) -> [Int] { ImageStatistics.blockIndex(length) }

    /// The statistics of one image, (3, height, width) normalised floats.
    /// Every sum is of integers (or halves), accumulated in Int64 and exact,
    /// so the order of summation cannot change a bit.
    static func compute(_ image: UnsafePointer<Float>, height: Int, width: Int) -> [Float] {
        let n = height * width
        let luminance = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { luminance.deallocate() }
        var histogram = [Int](repeating: 0, count: 256)
        var pixels = ImageStatistics.PixelSums()
        histogram.withUnsafeMutableBufferPointer { histogram in
            pixels = pixelPass(image, n: n, luminance: luminance, histogram: histogram.baseAddress!)
        }
        var laplacianHistogram = [Int](repeating: 0, count: 4 * 255 + 1)
        var neighbours = ImageStatistics.NeighbourSums()
        laplacianHistogram.withUnsafeMutableBufferPointer { histogram in
            neighbours = neighbourPass(luminance, height: height, width: width, histogram: histogram.baseAddress!)
        }

        return ImageStatistics.values(pixels: pixels, neighbours: neighbours, histogram: histogram,
                                      laplacianHistogram: laplacianHistogram, height: height, width: width)
    }

    /// Pixels back to integers, the luminance plane and its histogram, and
    /// the sums over pixels.
    private static func pixelPass(
        _ image: UnsafePointer<Float>, n: Int, luminance: UnsafeMutablePointer<Int32>, histogram: UnsafeMutablePointer<Int>
    ) -> ImageStatistics.PixelSums {
        // x = p / 255 - 0.5 lies within float round-off of p / 255 - 0.5, so
        // adding 0.5 and truncating rounds it to p.
        @inline(__always) func pixel(_ x: Float) -> Int32 { min(max(Int32((x + 0.5) * 255 + 0.5), 0), 255) }
        var sums = ImageStatistics.PixelSums()
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

    /// The 4-neighbour Laplacian (|L| <= 4 * 255) and the Sobel gradient on
    /// interior pixels, and the squared differences of neighbour pairs.
    private static func neighbourPass(
        _ y: UnsafePointer<Int32>, height: Int, width: Int, histogram: UnsafeMutablePointer<Int>
    ) -> ImageStatistics.NeighbourSums {
        var sums = ImageStatistics.NeighbourSums()
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
