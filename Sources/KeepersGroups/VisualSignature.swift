import Foundation

/// A small picture of a photo's layout for finding frames of one burst: the
/// mean luminance of a 32 x 32 grid of cells over the stored image.
///
/// Two signatures are compared on their gradients (differences between
/// neighbouring cells), by cosine similarity, at the best of 7 x 7 shifts of
/// up to 3 cells (about 9% of the frame). Gradients ignore an exposure step
/// (a gain or offset) and survive motion blur, which only softens them; the
/// shift search absorbs a burst's small reframing. Measured on real photos
/// (docs/groups.md): frames of one scene score 0.5-1, unrelated photos below
/// 0.32. Everything is integer arithmetic up to the final division, so the
/// result is the same on every machine.
///
/// Written by hand: perceptual-hash libraries (pHash, imagehash) compare
/// without a shift search, and a 2% reframing already breaks their hashes
/// (docs/groups.md has the figures).
public struct VisualSignature: Sendable, Equatable {
    public static let side = 32
    /// Largest shift tried, in cells.
    public static let maxShift = 3

    /// Row-major cell means, 0-255.
    public let cells: [UInt8]
    /// Horizontal (side x side-1) and vertical (side-1 x side) cell differences.
    let gradientX: [Int32]
    let gradientY: [Int32]
    /// Running sums of squared gradients, (rows+1) x (columns+1), for the
    /// energy of any rectangle in constant time.
    let energyX: [Int64]
    let energyY: [Int64]

    public init(cells: [UInt8]) {
        precondition(cells.count == Self.side * Self.side)
        self.cells = cells
        let n = Self.side
        var gx = [Int32](repeating: 0, count: n * (n - 1))
        var gy = [Int32](repeating: 0, count: (n - 1) * n)
        for row in 0..<n {
            for column in 0..<(n - 1) {
                gx[row * (n - 1) + column] = Int32(cells[row * n + column + 1]) - Int32(cells[row * n + column])
            }
        }
        for row in 0..<(n - 1) {
            for column in 0..<n {
                gy[row * n + column] = Int32(cells[(row + 1) * n + column]) - Int32(cells[row * n + column])
            }
        }
        gradientX = gx
        gradientY = gy
        energyX = Self.squareSums(gx, rows: n, columns: n - 1)
        energyY = Self.squareSums(gy, rows: n - 1, columns: n)
    }

    /// From 8-bit RGB pixels (row-major, 3 bytes each) of a width x height image.
    public init(rgb pixels: [UInt8], width: Int, height: Int) {
        precondition(pixels.count == width * height * 3 && width > 0 && height > 0)
        let n = Self.side
        // Luminance x 1000 (Rec. 601 weights, as the network's statistics use), summed per cell.
        var sums = [Int64](repeating: 0, count: n * n)
        var counts = [Int64](repeating: 0, count: n * n)
        let cellOfColumn = (0..<width).map { $0 * n / width }
        for y in 0..<height {
            let rowBase = (y * n / height) * n
            var offset = y * width * 3
            for x in 0..<width {
                let luminance = 299 * Int64(pixels[offset]) + 587 * Int64(pixels[offset + 1]) + 114 * Int64(pixels[offset + 2])
                sums[rowBase + cellOfColumn[x]] += luminance
                counts[rowBase + cellOfColumn[x]] += 1
                offset += 3
            }
        }
        // An image narrower than the grid leaves cells empty: they take the mean of all.
        let total = sums.reduce(0, +) / Int64(width * height)
        self.init(cells: (0..<(n * n)).map { cell in
            let mean = counts[cell] > 0 ? (sums[cell] + 500 * counts[cell]) / (1000 * counts[cell]) : (total + 500) / 1000
            return UInt8(clamping: mean)
        })
    }

    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64), data.count == Self.side * Self.side else { return nil }
        self.init(cells: [UInt8](data))
    }

    /// The cells as base64, as ingest's state file keeps them.
    public var base64: String { Data(cells).base64EncodedString() }

    public static func == (a: VisualSignature, b: VisualSignature) -> Bool { a.cells == b.cells }

    /// Cosine similarity of the two gradient fields at the best shift, in
    /// -1...1; 0 when either photo is flat (no gradient at all).
    public func similarity(to other: VisualSignature) -> Double {
        let n = Self.side
        var best = 0.0
        for dy in -Self.maxShift...Self.maxShift {
            for dx in -Self.maxShift...Self.maxShift {
                let x = Self.overlap(gradientX, energyX, other.gradientX, other.energyX, rows: n, columns: n - 1, dx: dx, dy: dy)
                let y = Self.overlap(gradientY, energyY, other.gradientY, other.energyY, rows: n - 1, columns: n, dx: dx, dy: dy)
                let energy = Double(x.energyA + y.energyA) * Double(x.energyB + y.energyB)
                guard energy > 0 else { continue }
                best = max(best, Double(x.dot + y.dot) / energy.squareRoot())
            }
        }
        return best
    }

    /// Dot product and energies of `a` and `b` where `b` is displaced by (dx, dy).
    private static func overlap(_ a: [Int32], _ energyA: [Int64], _ b: [Int32], _ energyB: [Int64],
                                rows: Int, columns: Int, dx: Int, dy: Int)
        -> (dot: Int64, energyA: Int64, energyB: Int64) {
        let height = rows - abs(dy), width = columns - abs(dx)
        let rowA = max(0, -dy), columnA = max(0, -dx), rowB = max(0, dy), columnB = max(0, dx)
        var dot: Int64 = 0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for row in 0..<height {
                    let baseA = (rowA + row) * columns + columnA, baseB = (rowB + row) * columns + columnB
                    var sum: Int32 = 0  // at most 31 x 255^2: no overflow
                    for column in 0..<width { sum &+= a[baseA + column] &* b[baseB + column] }
                    dot += Int64(sum)
                }
            }
        }
        return (dot, rectangle(energyA, columns: columns, row: rowA, column: columnA, height: height, width: width),
                rectangle(energyB, columns: columns, row: rowB, column: columnB, height: height, width: width))
    }

    private static func squareSums(_ values: [Int32], rows: Int, columns: Int) -> [Int64] {
        var sums = [Int64](repeating: 0, count: (rows + 1) * (columns + 1))
        for row in 0..<rows {
            for column in 0..<columns {
                let value = Int64(values[row * columns + column])
                sums[(row + 1) * (columns + 1) + column + 1] = value * value + sums[row * (columns + 1) + column + 1]
                    + sums[(row + 1) * (columns + 1) + column] - sums[row * (columns + 1) + column]
            }
        }
        return sums
    }

    private static func rectangle(_ sums: [Int64], columns: Int, row: Int, column: Int, height: Int, width: Int) -> Int64 {
        let stride = columns + 1
        return sums[(row + height) * stride + column + width] - sums[row * stride + column + width]
            - sums[(row + height) * stride + column] + sums[row * stride + column]
    }
}
