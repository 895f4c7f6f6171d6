import Foundation

/// The two passes over an image behind `ImageStatistics.compute`, written so
/// that the compiler vectorises their arithmetic: the inner loops have no
/// overflow traps (wrapping operators on values whose range is shown in each
/// comment), no bounds checks, and no branches but selects; histograms and
/// the strong edges, which scatter, get loops of their own. Every sum is of
/// integers and exact, so the values are those of the plain one-loop version
/// (Tests/KeepersNetworkTests/ReferenceImageStatistics.swift) to the bit.
extension ImageStatistics {
    /// Pixels summed in Int32 this many at a time: the largest term,
    /// (r + g - 2b)^2 <= 510^2, times 2,048 stays below 2^31.
    static let pixelChunk = 2048

    /// p = round((x + 0.5) * 255) clamped to 0...255, as the truncation of
    /// w = (x + 0.5) * 255 + 0.5 taken from w's bits: Swift's Int32(Float)
    /// traps on NaN and overflow, and that check keeps the loop scalar.
    @inline(__always) static func pixelValue(_ x: Float) -> Int32 {
        // Selects, not Float.minimum/maximum, whose NaN rules keep it scalar;
        // a NaN becomes 0.
        let v = (x + 0.5) * 255 + 0.5
        let w = v < 255.75 ? (v > 0 ? v : 0) : 255.75
        let bits = Int32(bitPattern: w.bitPattern)
        // For 1 <= w < 256 the exponent e is 0...7; the integer part is the
        // 24-bit significand shifted right by 23 - e.
        let integerPart = ((bits & 0x7F_FFFF) | 0x80_0000) &>> (150 &- (bits &>> 23))
        return w < 1 ? 0 : integerPart
    }

    /// Pixels back to integers, the luminance plane and its histogram, and
    /// the sums over pixels.
    static func pixelPass(
        _ image: UnsafePointer<Float>, n: Int, luminance: UnsafeMutablePointer<Int32>, histogram: UnsafeMutablePointer<Int>
    ) -> PixelSums {
        var sums = PixelSums()
        // Pointers per plane: an index sum such as n + i is overflow-checked,
        // and a check in the loop keeps it scalar.
        let (red, green, blue) = (image, image + n, image + 2 * n)
        var start = 0
        while start < n {
            let end = min(start + pixelChunk, n)
            var (y1, y2, rg1, rg2, yb1, yb2, c1, c2) = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
            for i in start..<end {
                let (r, g, b) = (pixelValue(red[i]), pixelValue(green[i]), pixelValue(blue[i]))
                let y = (299 &* r &+ 587 &* g &+ 114 &* b &+ 500) / 1000  // 0...255
                luminance[i] = y
                y1 &+= y
                y2 &+= y &* y
                let redGreen = r &- g, yellowBlue2 = r &+ g &- 2 &* b  // -255...255, -510...510
                rg1 &+= redGreen
                rg2 &+= redGreen &* redGreen
                yb1 &+= yellowBlue2
                yb2 &+= yellowBlue2 &* yellowBlue2
                let (high, low) = (r > g ? r : g, r < g ? r : g)
                let chroma = (high > b ? high : b) &- (low < b ? low : b)
                c1 &+= chroma
                c2 &+= chroma &* chroma
            }
            sums.luminance += Int64(y1)
            sums.luminanceSquares += Int64(y2)
            sums.rg += Int64(rg1)
            sums.rgSquares += Int64(rg2)
            sums.yb2 += Int64(yb1)
            sums.yb2Squares += Int64(yb2)
            sums.chroma += Int64(c1)
            sums.chromaSquares += Int64(c2)
            start = end
        }
        for i in 0..<n { histogram[Int(luminance[i])] += 1 }
        return sums
    }

    /// The 4-neighbour Laplacian (|L| <= 4 * 255) and the Sobel gradient on
    /// interior pixels, and the squared differences of neighbour pairs; one
    /// interior row at a time through row buffers.
    static func neighbourPass(
        _ y: UnsafePointer<Int32>, height: Int, width: Int, histogram: UnsafeMutablePointer<Int>
    ) -> NeighbourSums {
        var sums = NeighbourSums()
        let inner = max(width - 2, 0)
        // The Laplacian's interior (height - 2) x (width - 2) in a 4 x 4 grid
        // of blocks; a block column is a run of columns.
        let rowBlock = blockIndex(max(height - 2, 0))
        let columnEdges = [0, inner / 4, inner / 2, inner - inner / 4, inner]
        let rows = RowBuffers(count: inner)
        defer { rows.deallocate() }
        let lean = LeanTable.shared
        for row in 1..<max(height - 1, 1) {
            let centre = y + row * width + 1, above = centre - width, below = centre + width
            rows.laplacianAndGradient(centre: centre, above: above, below: below)
            let blockRow = rowBlock[row - 1] * 4
            for block in 0..<4 {
                let (sum, squares, absolute) = rows.laplacianSums(columnEdges[block]..<columnEdges[block + 1])
                sums.blockSum[blockRow + block] += sum
                sums.blockSquares[blockRow + block] += squares
                sums.blockCount[blockRow + block] += Int64(columnEdges[block + 1] - columnEdges[block])
                sums.laplacian += sum
                sums.laplacianSquares += squares
                sums.laplacianAbsolute += absolute
            }
            for c in 0..<inner { histogram[Int(rows.magnitude[c])] += 1 }
            // Sobel: how far strong edges lean from horizontal and vertical.
            for c in 0..<inner where rows.larger[c] >= strongEdge {
                let (gx, gy, larger) = (rows.gx[c], rows.gy[c], rows.larger[c])
                let entry = lean.entry(larger: larger, smaller: min(abs(gx), abs(gy)))
                sums.strongEdges += 1
                if entry.onAxis { sums.axisEdges += 1 } else if entry.nearAxis { sums.nearAxisEdges += 1 }
                // Which way it leans; the same for an edge and its 90-degree turn.
                let side = (gx * gy > 0) == (abs(gx) >= abs(gy)) ? 0 : 1
                sums.lean[side * leanBins + entry.bin] += Int64(larger)
            }
        }
        // Every horizontal and every vertical neighbour pair once, so a
        // mirror image gives the same value. Differences are -255...255.
        for row in 0..<height {
            let (line, next) = (y + row * width, y + row * width + 1)
            var squares: Int64 = 0
            for column in 0..<max(width - 1, 0) {
                let dx = next[column] &- line[column]
                squares &+= Int64(dx &* dx)
            }
            sums.horizontalSquares += squares
        }
        for row in 0..<max(height - 1, 0) {
            let (line, next) = (y + row * width, y + (row + 1) * width)
            var squares: Int64 = 0
            for column in 0..<width {
                let dy = next[column] &- line[column]
                squares &+= Int64(dy &* dy)
            }
            sums.verticalSquares += squares
        }
        return sums
    }
}

/// One interior row's Laplacian and Sobel gradient, column c at index c
/// (the image's column c + 1).
private struct RowBuffers {
    let laplacian, magnitude, gx, gy, larger: UnsafeMutablePointer<Int32>
    let count: Int

    init(count: Int) {
        self.count = count
        let capacity = max(count, 1)
        (laplacian, magnitude, gx, gy, larger) = (.allocate(capacity: capacity), .allocate(capacity: capacity),
                                                  .allocate(capacity: capacity), .allocate(capacity: capacity),
                                                  .allocate(capacity: capacity))
    }

    func deallocate() {
        for buffer in [laplacian, magnitude, gx, gy, larger] { buffer.deallocate() }
    }

    /// Luminance is 0...255, so L is -1,020...1,020 and gx, gy are too.
    func laplacianAndGradient(centre: UnsafePointer<Int32>, above: UnsafePointer<Int32>, below: UnsafePointer<Int32>) {
        // Neighbours through shifted pointers: c - 1 and c + 1 would be
        // overflow-checked, and a check in the loop keeps it scalar.
        let (left, right) = (centre - 1, centre + 1)
        let (aboveLeft, aboveRight, belowLeft, belowRight) = (above - 1, above + 1, below - 1, below + 1)
        for c in 0..<count {
            let l = 4 &* centre[c] &- left[c] &- right[c] &- above[c] &- below[c]
            laplacian[c] = l
            magnitude[c] = l < 0 ? 0 &- l : l
            let x = (aboveRight[c] &+ 2 &* right[c] &+ belowRight[c]) &- (aboveLeft[c] &+ 2 &* left[c] &+ belowLeft[c])
            let y = (belowLeft[c] &+ 2 &* below[c] &+ belowRight[c]) &- (aboveLeft[c] &+ 2 &* above[c] &+ aboveRight[c])
            gx[c] = x
            gy[c] = y
            let (ax, ay) = (x < 0 ? 0 &- x : x, y < 0 ? 0 &- y : y)
            larger[c] = ax > ay ? ax : ay
        }
    }

    /// Σ L, Σ L^2 and Σ |L| over a run of columns; L^2 <= 1,040,400 fits Int32.
    func laplacianSums(_ columns: Range<Int>) -> (Int64, Int64, Int64) {
        var (sum, squares, absolute) = (Int64(0), Int64(0), Int64(0))
        for c in columns {
            let l = laplacian[c]
            sum &+= Int64(l)
            squares &+= Int64(l &* l)
            absolute &+= Int64(magnitude[c])
        }
        return (sum, squares, absolute)
    }
}
