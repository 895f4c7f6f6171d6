/// Converts decoded images into the network's input layout. Training and
/// prediction share this, so both see exactly the same numbers.
public enum ImageLayout {
    /// Writes a uint8 HWC RGB image as float32 CHW (pixel / 255 - 0.5) into
    /// `destination` (3 * height * width values, one image of an NCHW batch),
    /// mirrored left-right when `flip` is set.
    public static func writeNormalized(
        rgb: UnsafeBufferPointer<UInt8>, height: Int, width: Int, flip: Bool,
        into destination: UnsafeMutableBufferPointer<Float>
    ) {
        let plane = height * width
        precondition(rgb.count == 3 * plane && destination.count == 3 * plane, "image size mismatch")
        for y in 0..<height {
            for x in 0..<width {
                let source = 3 * (y * width + (flip ? width - 1 - x : x))
                let target = y * width + x
                for c in 0..<3 { destination[c * plane + target] = Float(rgb[source + c]) / 255 - 0.5 }
            }
        }
    }

    /// One image as a (1, 3, height, width) array.
    public static func normalized(rgb: [UInt8], height: Int, width: Int, flip: Bool = false) -> [Float] {
        var result = [Float](repeating: 0, count: 3 * height * width)
        rgb.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { writeNormalized(rgb: source, height: height, width: width,
                                                                    flip: flip, into: $0) }
        }
        return result
    }
}
