/// Conversion of stored pixels to the network's input.
public enum PixelConversion {
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
