/// Random translation of training images: each image of a batch (N, 3, H, W)
/// moves by (dy, dx) pixels and the uncovered border is filled with the
/// mirror image of the edge (reflection without repeating the edge pixel, as
/// PyTorch's reflect padding), so the bucket size and every exposure and
/// sharpness cue stay as they were.
func translate(
    _ batch: UnsafeMutablePointer<Float>, height: Int, width: Int, shifts: [(dy: Int, dx: Int)], scratch: inout [Float]
) {
    let plane = height * width
    if scratch.count < plane { scratch = [Float](repeating: 0, count: plane) }
    @inline(__always) func reflect(_ i: Int, _ n: Int) -> Int {
        guard n > 1 else { return 0 }
        var j = i
        while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
        return j
    }
    for (image, shift) in shifts.enumerated() where shift != (0, 0) {
        let columns = (0..<width).map { reflect($0 - shift.dx, width) }
        for channel in 0..<3 {
            let data = batch + (image * 3 + channel) * plane
            scratch.withUnsafeMutableBufferPointer { copy in
                for i in 0..<plane { copy[i] = data[i] }
                for y in 0..<height {
                    let source = reflect(y - shift.dy, height) * width
                    let target = data + y * width
                    for x in 0..<width { target[x] = copy[source + columns[x]] }
                }
            }
        }
    }
}
