import Foundation

/// Signatures of a synthetic folder of untimed photos with bursts, for
/// measuring the untimed index (`keepers-bench-groups --compare-index
/// --natural`) and for its tests. Deterministic for a seed.
///
/// Each scene is a natural-looking layout: random waves whose amplitude
/// falls as 1/frequency (as in photographs, where large shapes carry most of
/// the contrast) plus three hard-edged rectangles, sampled at the cell
/// centres. A burst is 2-6 frames panned by a random walk of up to a cell a
/// frame (so its ends are up to several cells apart), each with its own
/// exposure step and noise, some with a horizontal motion blur. Frames of a
/// burst mostly score 0.8-1 against each other (1 link in 1,000 below 0.6),
/// unrelated scenes rarely reach the threshold: easier than the real-photo
/// benchmark, where 352 of 1,260 links are below 0.6 (docs/groups.md), so
/// the benchmark is the test of weak links and this the test of size.
public enum SyntheticLibrary {
    /// `count` photos, every `burstEvery`-th scene a burst; photo ids follow
    /// the order of the frames (as file names do) unless `shuffleIds`.
    public static func photos(count: Int, burstEvery: Int = 4, shuffleIds: Bool = false, folder: String = "all",
                              seed: UInt64 = 1) -> [GroupingPhoto] {
        var random = SplitMix(state: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let n = VisualSignature.side
        var photos: [GroupingPhoto] = []
        var scene = 0
        while photos.count < count {
            defer { scene += 1 }
            let waves = (0..<24).map { _ -> (Double, Double, Double, Double) in
                let frequency = 0.5 + uniform() * 7.5, angle = uniform() * 2 * Double.pi
                return (frequency * cos(angle) * 2 * Double.pi / Double(n), frequency * sin(angle) * 2 * Double.pi / Double(n),
                        uniform() * 2 * Double.pi, 40 / frequency)
            }
            let boxes = (0..<3).map { _ in
                (uniform() * 36 - 4, uniform() * 36 - 4, 3 + uniform() * 14, 3 + uniform() * 14, uniform() * 80 - 40)
            }
            let frames = min(count - photos.count, scene % burstEvery == 0 ? 2 + Int(random.next() % 5) : 1)
            var (x, y) = (0.0, 0.0)
            for frame in 0..<frames {
                if frame > 0 { (x, y) = (x + uniform() * 2 - 1, y + uniform() * 2 - 1) }
                let gain = frame == 0 ? 1 : 0.7 + uniform() * 0.6, offset = frame == 0 ? 0 : uniform() * 30 - 15
                let blur = frame > 0 && random.next() % 4 == 0 ? 1 + Int(random.next() % 2) : 0
                var values = (0..<(n * n)).map { cell -> Double in
                    let (row, column) = (Double(cell / n) + 0.5 + y, Double(cell % n) + 0.5 + x)
                    var value = 128.0
                    for (fx, fy, phase, amplitude) in waves { value += amplitude * sin(fx * column + fy * row + phase) }
                    for (bx, by, width, height, step) in boxes
                    where column >= bx && column < bx + width && row >= by && row < by + height { value += step }
                    return value
                }
                if blur > 0 {
                    values = (0..<(n * n)).map { cell in
                        let (row, column) = (cell / n, cell % n)
                        let span = max(0, column - blur)...min(n - 1, column + blur)
                        return span.reduce(0) { $0 + values[row * n + $1] } / Double(span.count)
                    }
                }
                let cells = values.map { UInt8(clamping: Int(($0 * gain + offset + uniform() * 8 - 4).rounded())) }
                let index = photos.count
                let id = shuffleIds ? String(format: "%016llx-%08d", mix(UInt64(index) ^ seed), index) : String(format: "%08d", index)
                photos.append(GroupingPhoto(id: id, folder: folder, captured: nil, signature: VisualSignature(cells: cells)))
            }
        }
        return photos
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var generator = SplitMix(state: value)
        return generator.next()
    }
}
