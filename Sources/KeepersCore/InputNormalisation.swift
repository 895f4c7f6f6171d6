/// Stored pixels (uint8 HWC RGB) to the network's input (float32 CHW,
/// pixel / 255 - 0.5). The one implementation: the shard reader (training,
/// report) and predict both call it, so they feed the network identical numbers.
public enum InputNormalisation {
    /// `pixel / 255 - 0.5` for every byte value: conversion becomes a lookup,
    /// exact to the formula, and cheap next to a training step.
    static let table: [Float] = (0..<256).map { Float($0) / 255 - 0.5 }

    /// Converts one HWC RGB image to normalised CHW planes (one image of an
    /// NCHW batch), mirroring it left-right if `flip`.
    public static func normalise(_ pixels: UnsafeBufferPointer<UInt8>, height: Int, width: Int, flip: Bool,
                                 into output: UnsafeMutableBufferPointer<Float>) {
        let plane = height * width
        precondition(pixels.count == plane * 3 && output.count == plane * 3, "buffer sizes do not match \(height)x\(width)x3")
        table.withUnsafeBufferPointer { table in
            guard let src = pixels.baseAddress, let red = output.baseAddress, let lut = table.baseAddress else { return }
            let green = red + plane, blue = green + plane
            // Walk the source forwards or backwards along each row; the
            // direction is fixed per image so the inner loop has no branch.
            let step = flip ? -3 : 3
            for y in 0..<height {
                var p = src + y * width * 3 + (flip ? (width - 1) * 3 : 0)
                let out = y * width
                for x in out..<out + width {
                    red[x] = lut[Int(p[0])]
                    green[x] = lut[Int(p[1])]
                    blue[x] = lut[Int(p[2])]
                    p += step
                }
            }
        }
    }
}

extension InputNormalisation {
    /// One image as a (1, 3, height, width) array.
    public static func normalised(_ pixels: [UInt8], height: Int, width: Int, flip: Bool = false) -> [Float] {
        var result = [Float](repeating: 0, count: 3 * height * width)
        pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { normalise(source, height: height, width: width, flip: flip, into: $0) }
        }
        return result
    }
}
