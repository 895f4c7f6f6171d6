import Foundation

/// In-place filters on one float plane (height, width), edges replicated:
/// what `Degradation` builds its faults from.
enum ImageFilters {
    /// Separable Gaussian blur with a kernel of radius ceil(3 sigma).
    static func gaussianBlur(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, sigma: Float) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * Double(sigma * sigma)))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        convolveRows(plane, height: height, width: width, kernel: kernel)
        convolveColumns(plane, height: height, width: width, kernel: kernel)
    }

    static func convolveRows(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, kernel: [Float]) {
        let radius = kernel.count / 2
        var row = [Float](repeating: 0, count: width)
        for y in 0..<height {
            let line = plane + y * width
            for x in 0..<width {
                var sum: Float = 0
                for (k, weight) in kernel.enumerated() { sum += weight * line[min(max(x + k - radius, 0), width - 1)] }
                row[x] = sum
            }
            for x in 0..<width { line[x] = row[x] }
        }
    }

    static func convolveColumns(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, kernel: [Float]) {
        let radius = kernel.count / 2
        var column = [Float](repeating: 0, count: height)
        for x in 0..<width {
            for y in 0..<height {
                var sum: Float = 0
                for (k, weight) in kernel.enumerated() { sum += weight * plane[min(max(y + k - radius, 0), height - 1) * width + x] }
                column[y] = sum
            }
            for y in 0..<height { plane[y * width + x] = column[y] }
        }
    }

    /// The mean of `length` copies shifted along `angle` (radians from the
    /// x axis), centred: a straight camera shake.
    static func lineAverage(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, length: Int, angle: Float) {
        let source = Array(UnsafeBufferPointer(start: plane, count: height * width))
        let offsets = (0..<length).map { i -> (Int, Int) in
            let t = Float(i) - Float(length - 1) / 2
            return (Int((t * sin(angle)).rounded()), Int((t * cos(angle)).rounded()))
        }
        let scale = 1 / Float(length)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for (dy, dx) in offsets {
                    sum += source[min(max(y + dy, 0), height - 1) * width + min(max(x + dx, 0), width - 1)]
                }
                plane[y * width + x] = sum * scale
            }
        }
    }

    /// Every block of factor x factor pixels replaced by its mean.
    static func blockAverage(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, factor: Int) {
        for top in stride(from: 0, to: height, by: factor) {
            for left in stride(from: 0, to: width, by: factor) {
                let (bottom, right) = (min(top + factor, height), min(left + factor, width))
                var sum: Float = 0
                for y in top..<bottom { for x in left..<right { sum += plane[y * width + x] } }
                let mean = sum / Float((bottom - top) * (right - left))
                for y in top..<bottom { for x in left..<right { plane[y * width + x] = mean } }
            }
        }
    }

    /// Rotates every channel by `degrees` about the centre with bilinear
    /// sampling, zoomed by the least factor that keeps the frame filled.
    static func rotate(_ image: UnsafeMutablePointer<Float>, channels: Int, height: Int, width: Int, degrees: Float) {
        let theta = degrees * .pi / 180
        let (c, s) = (cos(theta), sin(theta))
        let (w, h) = (Float(width), Float(height))
        // A w x h frame rotated by theta fits inside the source when scaled by 1 / zoom.
        let zoom = max((w * abs(c) + h * abs(s)) / w, (w * abs(s) + h * abs(c)) / h)
        let (cx, cy) = ((w - 1) / 2, (h - 1) / 2)
        let plane = height * width
        let source = Array(UnsafeBufferPointer(start: image, count: channels * plane))
        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = ((Float(x) - cx) / zoom, (Float(y) - cy) / zoom)
                let sx = min(max(c * u - s * v + cx, 0), w - 1)
                let sy = min(max(s * u + c * v + cy, 0), h - 1)
                let (x0, y0) = (Int(sx), Int(sy))
                let (x1, y1) = (min(x0 + 1, width - 1), min(y0 + 1, height - 1))
                let (fx, fy) = (sx - Float(x0), sy - Float(y0))
                for ch in 0..<channels {
                    let base = ch * plane
                    let top = source[base + y0 * width + x0] * (1 - fx) + source[base + y0 * width + x1] * fx
                    let bottom = source[base + y1 * width + x0] * (1 - fx) + source[base + y1 * width + x1] * fx
                    image[base + y * width + x] = top * (1 - fy) + bottom * fy
                }
            }
        }
    }
}
