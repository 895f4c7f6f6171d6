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
    /// Largest shift of the coarse gate, in coarse cells (12% of the frame).
    static let coarseShift = 2
    /// The coarse gate lets a pair through to the full comparison when its
    /// coarse similarity is at least the threshold minus this. On the
    /// real-photo benchmark every pair with a full similarity of 0.4 or more
    /// had a coarse one of 0.36 or more, and a gate of 0.25 lets 8% of all
    /// pairs through (docs/groups.md).
    static let coarseMargin = 0.15

    /// Row-major cell means, 0-255.
    public let cells: [UInt8]
    /// The two gradient fields: horizontal (side x side-1) and vertical
    /// (side-1 x side) cell differences. Made when a comparison needs them,
    /// not kept: padded for the shift search they are 5.6 KB a photo, more
    /// than five times the cells, and a library holds every photo's
    /// signature until grouping ends, while only the pairs past the coarse
    /// gate (about 8%, each costing 49 shifted dot products) need them.
    var fields: [GradientField] {
        let n = Self.side
        return Self.gradientFields(side: n, border: Self.maxShift) { Int16(cells[$0 * n + $1]) }
    }
    /// The same at half the resolution (sums of 2 x 2 cells), compared first
    /// at shifts of up to 2 coarse cells: a cheap gate (see `isSimilar`).
    let coarseFields: [GradientField]

    public init(cells: [UInt8]) {
        precondition(cells.count == Self.side * Self.side)
        self.cells = cells
        let n = Self.side
        let half = n / 2
        coarseFields = Self.gradientFields(side: half, border: Self.coarseShift) { row, column in
            Int16(cells[2 * row * n + 2 * column]) + Int16(cells[2 * row * n + 2 * column + 1])
                + Int16(cells[(2 * row + 1) * n + 2 * column]) + Int16(cells[(2 * row + 1) * n + 2 * column + 1])
        }
    }

    /// Horizontal and vertical differences of a side x side grid.
    private static func gradientFields(side n: Int, border: Int, cell: (Int, Int) -> Int16) -> [GradientField] {
        [
            GradientField(rows: n, columns: n - 1, border: border) { cell($0, $1 + 1) - cell($0, $1) },
            GradientField(rows: n - 1, columns: n, border: border) { cell($0 + 1, $1) - cell($0, $1) },
        ]
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
        guard let cells = Self.cells(base64: base64) else { return nil }
        self.init(cells: cells)
    }

    /// The cells as base64, as ingest's state file keeps them.
    public var base64: String { Self.base64(cells: cells) }

    /// Cells as base64 and back, for callers that keep only the cells
    /// (ingest's state): nil unless exactly side x side cells.
    public static func base64(cells: [UInt8]) -> String { Data(cells).base64EncodedString() }

    public static func cells(base64: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: base64), data.count == side * side else { return nil }
        return [UInt8](data)
    }

    public static func == (a: VisualSignature, b: VisualSignature) -> Bool { a.cells == b.cells }

    /// True when the similarity is at least `threshold`: the coarse gate
    /// first (about an eighth of the work), then the full comparison.
    public func isSimilar(to other: VisualSignature, threshold: Double) -> Bool {
        similarity(to: other, atLeast: threshold) != nil
    }

    /// The similarity when it is at least `threshold`, else nil; gated as `isSimilar`.
    public func similarity(to other: VisualSignature, atLeast threshold: Double) -> Double? {
        guard Self.similarity(coarseFields, other.coarseFields, maxShift: Self.coarseShift)
            >= threshold - Self.coarseMargin else { return nil }
        let full = similarity(to: other)
        return full >= threshold ? full : nil
    }

    /// Cosine similarity of the two gradient fields at the best shift, in
    /// -1...1; 0 when either photo is flat (no gradient at all).
    public func similarity(to other: VisualSignature) -> Double {
        Self.similarity(fields, other.fields, maxShift: Self.maxShift)
    }

    /// The same as `similarity(to:)`, computed row by row as before the
    /// flat kernel (`GradientField.dot`): for the tests and
    /// `keepers-bench-groups --reference`, which show the two agree bit for bit.
    public func referenceSimilarity(to other: VisualSignature) -> Double {
        Self.similarity(fields, other.fields, maxShift: Self.maxShift, reference: true)
    }

    /// `similarity(to:atLeast:)` with the row-by-row kernel (see `referenceSimilarity`).
    public func referenceSimilarity(to other: VisualSignature, atLeast threshold: Double) -> Double? {
        guard Self.similarity(coarseFields, other.coarseFields, maxShift: Self.coarseShift, reference: true)
            >= threshold - Self.coarseMargin else { return nil }
        let full = referenceSimilarity(to: other)
        return full >= threshold ? full : nil
    }

    private static func similarity(
        _ a: [GradientField], _ b: [GradientField], maxShift: Int, reference: Bool = false
    ) -> Double {
        var best = 0.0
        for dy in -maxShift...maxShift {
            for dx in -maxShift...maxShift {
                var dot: Int64 = 0, energyA: Int64 = 0, energyB: Int64 = 0
                for (fieldA, fieldB) in zip(a, b) {
                    dot += reference ? fieldA.rowDot(fieldB, dx: dx, dy: dy) : fieldA.dot(fieldB, dx: dx, dy: dy)
                    energyA += fieldA.energy(overlapping: dx, dy)
                    energyB += fieldB.energy(overlapping: -dx, -dy)
                }
                let energy = Double(energyA) * Double(energyB)
                guard energy > 0 else { continue }
                best = max(best, Double(dot) / energy.squareRoot())
            }
        }
        return best
    }
}

/// One gradient field inside a border of zeros `maxShift` cells wide, so
/// that its product with a shifted field is one plain loop over contiguous
/// memory (which the compiler vectorises) instead of a loop with bounds per
/// shift; with the field's energy over the overlap of each shift. About 3 KB.
struct GradientField: Sendable {
    let rows: Int, columns: Int, border: Int
    var shifts: Int { 2 * border + 1 }
    let padded: [Int16]
    /// Sum of squares of the cells (r, c) whose partner (r + dy, c + dx) lies
    /// inside a field of this size, at [(dy + border) * shifts + dx + border].
    let energies: [Int64]

    init(rows: Int, columns: Int, border: Int, value: (Int, Int) -> Int16) {
        self.rows = rows
        self.columns = columns
        self.border = border
        let stride = columns + 2 * border, shifts = 2 * border + 1
        var padded = [Int16](repeating: 0, count: (rows + 2 * border) * stride)
        for row in 0..<rows {
            for column in 0..<columns { padded[(row + border) * stride + column + border] = value(row, column) }
        }
        self.padded = padded
        // Each shift's energy is the sum of squares over a rectangle of the
        // field: read from a summed-area table, in O(cells) for all 49
        // shifts instead of O(49 cells). Exact integers, so the same sums.
        let width = columns + 1
        var table = [Int64](repeating: 0, count: (rows + 1) * width)
        for row in 0..<rows {
            var rowSum: Int64 = 0
            for column in 0..<columns {
                let v = Int64(padded[(row + border) * stride + column + border])
                rowSum += v * v
                table[(row + 1) * width + column + 1] = table[row * width + column + 1] + rowSum
            }
        }
        energies = (0..<(shifts * shifts)).map { index in
            let dy = index / shifts - border, dx = index % shifts - border
            let (top, bottom) = (max(0, -dy), rows - max(0, dy)), (left, right) = (max(0, -dx), columns - max(0, dx))
            guard bottom > top, right > left else { return 0 }
            return table[bottom * width + right] - table[top * width + right] - table[bottom * width + left] + table[top * width + left]
        }
    }

    /// The energies summed cell by cell, as before the summed-area table: for the tests.
    func referenceEnergies() -> [Int64] {
        let stride = columns + 2 * border
        return (0..<(shifts * shifts)).map { index in
            let dy = index / shifts - border, dx = index % shifts - border
            var sum: Int64 = 0
            for row in max(0, -dy)..<max(rows - max(0, dy), max(0, -dy)) {
                for column in max(0, -dx)..<max(columns - max(0, dx), max(0, -dx)) {
                    let v = Int64(padded[(row + border) * stride + column + border])
                    sum += v * v
                }
            }
            return sum
        }
    }

    /// Sum over cells (r, c) of self[r, c] x other[r + dy, c + dx], zero outside `other`.
    ///
    /// One flat loop from this field's first cell to its last, over the
    /// border columns between rows too: they are zero here, and where a
    /// row's shifted partner runs past `other`'s columns it lands in
    /// `other`'s zero border, so the extra products are all zero and the sum
    /// is exactly the row-by-row one (`rowDot`), in a loop long enough to
    /// vectorise well (the rows are only 15-32 cells). The partner's indices
    /// stay within `other.padded`: at most `border` rows and columns away.
    func dot(_ other: GradientField, dx: Int, dy: Int) -> Int64 {
        let stride = columns + 2 * border
        let first = border * stride + border
        let count = (rows - 1) * stride + columns
        let offset = dy * stride + dx
        // Each product is at most 1020^2 (coarse) and there are at most
        // 32 x 38 of them (fine: 255^2 each): far below Int32's range.
        var sum: Int32 = 0
        padded.withUnsafeBufferPointer { a in
            other.padded.withUnsafeBufferPointer { b in
                let rowA = a.baseAddress! + first, rowB = b.baseAddress! + first + offset
                for index in 0..<count { sum &+= Int32(rowA[index]) &* Int32(rowB[index]) }
            }
        }
        return Int64(sum)
    }

    /// `dot`, one row at a time: the kernel before the flat one (see `referenceSimilarity`).
    func rowDot(_ other: GradientField, dx: Int, dy: Int) -> Int64 {
        let stride = columns + 2 * border
        var total: Int64 = 0
        padded.withUnsafeBufferPointer { a in
            other.padded.withUnsafeBufferPointer { b in
                for row in 0..<rows {
                    let rowA = a.baseAddress! + (row + border) * stride + border
                    let rowB = b.baseAddress! + (row + dy + border) * stride + dx + border
                    var sum: Int32 = 0  // at most 32 x 255^2 (16 x 1020^2 coarse): no overflow
                    for column in 0..<columns { sum &+= Int32(rowA[column]) &* Int32(rowB[column]) }
                    total += Int64(sum)
                }
            }
        }
        return total
    }

    /// Sum of squares of the cells whose partner at (dx, dy) lies inside the field.
    func energy(overlapping dx: Int, _ dy: Int) -> Int64 {
        energies[(dy + border) * shifts + dx + border]
    }
}
