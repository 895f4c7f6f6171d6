import KeepersImaging

extension Fixtures {
    /// A synthetic scene that differs with `seed`: coloured discs over a
    /// gradient, so it has structure at every scale and two seeds never look
    /// alike to burst grouping. `dx` shifts the view right by that many
    /// pixels, `gain` scales the exposure, `blur` averages that many pixels
    /// more along each row (a horizontal camera shake).
    public static func scene(seed: Int, width: Int = 480, height: Int = 320, dx: Double = 0, gain: Double = 1,
                             blur: Int = 0) -> RGBImage {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let discs = (0..<12).map { _ in
            (x: random() * 1.4 - 0.2, y: random() * 1.2 - 0.1, r: 0.05 + random() * 0.25,
             colour: (random() * 255, random() * 255, random() * 255))
        }
        // Sizes in units of the width, so a smaller rendering shows the same scene.
        func colour(_ u: Double, _ v: Double) -> (Double, Double, Double) {
            var c = (60.0 + 80 * v, 90.0 + 40 * u, 120.0)
            for disc in discs where (u - disc.x) * (u - disc.x) + (v - disc.y) * (v - disc.y) < disc.r * disc.r {
                c = disc.colour
            }
            return c
        }
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                var sum = (0.0, 0.0, 0.0)
                for offset in 0...blur {
                    let c = colour((Double(x - offset) + dx) / Double(width), Double(y) / Double(width))
                    sum = (sum.0 + c.0, sum.1 + c.1, sum.2 + c.2)
                }
                let scale = gain / Double(blur + 1)
                image[x, y] = (UInt8(clamping: Int(sum.0 * scale)), UInt8(clamping: Int(sum.1 * scale)),
                               UInt8(clamping: Int(sum.2 * scale)))
            }
        }
        return image
    }
}
