import Foundation
import KeepersCore
import KeepersImaging

/// Draws a SceneRecipe into pixels: sky gradient, sun, clouds, a horizon with
/// hills or sea, ground texture, then the optics and the sensor (blur,
/// exposure, haze, noise). Plain loops, because the scene is a handful of
/// formulas per pixel; libvips does the blur, rotation and encoding.
struct SceneRenderer {
    let recipe: SceneRecipe

    func render() throws -> RGBImage {
        var image = drawScene()
        if recipe.blur > 0 {
            image = try ImageOps.gaussianBlur(image, sigma: recipe.blur * Double(recipe.width))
        }
        if recipe.shake > 0 { applyShake(&image) }
        applySensor(&image)
        return image
    }

    /// Scene x of pixel column `x`: the pan moves the view, not the scene.
    private func sceneX(_ x: Int) -> Double { Double(x) + recipe.pan * Double(recipe.width) }

    private func horizonRow(_ x: Int) -> Double {
        let w = Double(recipe.width), h = Double(recipe.height)
        let fx = sceneX(x)
        var y = h * recipe.horizon + tan(recipe.tilt * .pi / 180) * (fx - w / 2)
        if !recipe.sea {
            for (k, a) in recipe.hillWaves.enumerated() {
                y += a * 0.035 * h * sin(2 * .pi * Double(k + 1) * fx / w + Double(k) * 1.7)
            }
        }
        return y
    }

    private func drawScene() -> RGBImage {
        let w = recipe.width, h = recipe.height
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        var cloudRng = SequentialRandom(seed: recipe.textureSeed, stream: 1)
        var clouds: [(x: Double, y: Double, rx: Double, ry: Double)] = []
        for _ in 0..<recipe.clouds {
            let x: Double = cloudRng.unit() * Double(w)
            let y: Double = (0.05 + 0.25 * cloudRng.unit()) * Double(h)
            let rx: Double = (0.08 + 0.12 * cloudRng.unit()) * Double(w)
            let ry: Double = (0.02 + 0.04 * cloudRng.unit()) * Double(h)
            clouds.append((x, y, rx, ry))
        }
        let horizons = (0..<w).map(horizonRow)
        let sunX = (recipe.sun?[0] ?? 0) * Double(w), sunY = (recipe.sun?[1] ?? 0) * Double(h)
        let sunR = (recipe.sun?[2] ?? 0) * Double(w)
        let textureX: [Double] = (0..<w).map { x in
            let fx = sceneX(x)
            let fine: Double = sin(fx * 0.21)
            let coarse: Double = sin(fx * 0.047 + 1.3)
            return 0.5 * fine + 0.5 * coarse
        }
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let fy = Double(y)
                let textureY = sin(fy * 0.13 + 0.7)
                for x in 0..<w {
                    let fx = sceneX(x)
                    let hy = horizons[x]
                    var c: (Double, Double, Double)
                    if fy < hy {
                        let t = max(0, min(1, fy / max(hy, 1)))
                        c = (recipe.skyTop[0] + (recipe.skyBottom[0] - recipe.skyTop[0]) * t,
                             recipe.skyTop[1] + (recipe.skyBottom[1] - recipe.skyTop[1]) * t,
                             recipe.skyTop[2] + (recipe.skyBottom[2] - recipe.skyTop[2]) * t)
                        for cloud in clouds {
                            let dx = (fx - cloud.x) / cloud.rx, dy = (fy - cloud.y) / cloud.ry
                            let d = dx * dx + dy * dy
                            if d < 1 {
                                let a = 0.85 * (1 - d)
                                c = (c.0 + (250 - c.0) * a, c.1 + (250 - c.1) * a, c.2 + (252 - c.2) * a)
                            }
                        }
                        if sunR > 0 {
                            let d = ((fx - sunX) * (fx - sunX) + (fy - sunY) * (fy - sunY)).squareRoot() / sunR
                            if d < 2.5 {
                                let a = d < 1 ? 1 : 0.6 * (2.5 - d) / 1.5
                                c = (c.0 + (255 - c.0) * a, c.1 + (248 - c.1) * a, c.2 + (225 - c.2) * a)
                            }
                        }
                    } else {
                        let depth = max(0, min(1, (fy - hy) / max(Double(h) - hy, 1)))
                        let shade = 0.75 + 0.35 * depth
                        let texture = recipe.sea ? 10 * textureY * (1 - depth * 0.5) : 14 * textureX[x] * textureY
                        c = (recipe.ground[0] * shade + texture, recipe.ground[1] * shade + texture,
                             recipe.ground[2] * shade + texture)
                    }
                    let i = (y * w + x) * 3
                    out[i] = UInt8(max(0, min(255, c.0)))
                    out[i + 1] = UInt8(max(0, min(255, c.1)))
                    out[i + 2] = UInt8(max(0, min(255, c.2)))
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// A horizontal streak: each pixel becomes the mean of the `shake x
    /// width` pixels to its left (edges repeated), as a camera panning during
    /// the exposure smears the scene. A running sum per row keeps it linear.
    private func applyShake(_ image: inout RGBImage) {
        let w = image.width, length = max(1, Int((recipe.shake * Double(w)).rounded()))
        let source = image.pixels
        image.pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<image.height {
                let row = y * w * 3
                for channel in 0..<3 {
                    var sum = Int(source[row + channel]) * length
                    for x in 0..<w {
                        sum += Int(source[row + x * 3 + channel]) - Int(source[row + max(0, x - length) * 3 + channel])
                        out[row + x * 3 + channel] = UInt8(sum / length)
                    }
                }
            }
        }
    }

    /// Exposure and haze as one lookup table, then additive Gaussian noise
    /// drawn from a precomputed table (a Box-Muller pair per pixel would
    /// dominate the run time).
    private func applySensor(_ image: inout RGBImage) {
        let lut: [UInt8] = (0..<256).map { v in
            let linear = pow(Double(v) / 255, 2.2) * recipe.exposure
            var out = pow(min(1, linear), 1 / 2.2) * 255
            out = out * (1 - recipe.haze) + 185 * recipe.haze
            return UInt8(max(0, min(255, out.rounded())))
        }
        var rng = SequentialRandom(seed: recipe.textureSeed, stream: 2)
        let table = (0..<4096).map { _ in Float(rng.gaussian() * recipe.noise) }
        var state = recipe.textureSeed | 1
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for i in 0..<pixels.count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                let v = Float(lut[Int(pixels[i])]) + table[Int(state & 4095)]
                pixels[i] = UInt8(max(0, min(255, v.rounded())))
            }
        }
    }
}
