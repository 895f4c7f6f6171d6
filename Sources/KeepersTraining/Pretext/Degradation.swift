import Foundation
import KeepersCore

/// A synthetic fault applied to one image (3, H, W) of network input
/// (pixel / 255 - 0.5): the pretext task of fault pretraining teaches the
/// convolutions to score a photo above its degraded copy (docs/training.md,
/// "Fault pretraining"). Kinds and strengths follow RankIQA-style
/// no-reference quality work and the faults photographers cull for; each is
/// written here because it runs on the network's float input in memory,
/// where no imaging library is involved.
enum Degradation: Equatable, Sendable {
    case gaussianBlur(sigma: Float)
    /// Mean of `length` copies shifted along a direction (radians).
    case motionBlur(length: Int, angle: Float)
    /// Gaussian noise of this standard deviation (in pixel / 255 units), per pixel and channel.
    case noise(sigma: Float, seed: UInt64)
    /// Multiplies every channel (about exposure in stops, on sRGB values), clipped.
    case exposure(gain: Float)
    /// Blends towards light grey: haze, low contrast.
    case haze(amount: Float)
    /// Multiplies each channel by its own gain: a colour cast.
    case colourCast(red: Float, green: Float, blue: Float)
    /// Box-averages blocks of `factor` pixels and stretches them back: lost resolution, blocking.
    case blocks(factor: Int)
    /// Rotation by `degrees`, zoomed so no corner leaves the frame.
    case rotation(degrees: Float)
    /// Gaussian blur inside an ellipse (centre and radii as fractions of the
    /// frame), sharp outside: focus missed on the subject.
    case localBlur(sigma: Float, centreX: Float, centreY: Float, radiusX: Float, radiusY: Float)

    static let kinds = 9

    /// The `kind`-th fault (0..<kinds) at strengths drawn from `unit`, a source of uniform numbers in [0, 1).
    static func draw(kind: Int, unit: () -> Double) -> Degradation {
        func uniform(_ low: Double, _ high: Double) -> Float { Float(low + (high - low) * unit()) }
        switch kind {
        case 0: return .gaussianBlur(sigma: uniform(0.8, 2.5))
        case 1: return .motionBlur(length: 3 + Int(unit() * 7), angle: uniform(0, .pi))
        case 2: return .noise(sigma: uniform(6, 20) / 255, seed: UInt64(unit() * 0x1p53))
        case 3: return .exposure(gain: unit() < 0.5 ? uniform(0.45, 0.75) : uniform(1.35, 2))
        case 4: return .haze(amount: uniform(0.3, 0.55))
        case 5:
            let strength = uniform(0.12, 0.3), way = unit() * 6
            let gains: (Float, Float, Float) = way < 1 ? (1 + strength, 1, 1 - strength)  // warm
                : way < 2 ? (1 - strength, 1, 1 + strength)  // cool
                : way < 3 ? (1, 1 + strength, 1)  // green
                : way < 4 ? (1 + strength, 1 - strength / 2, 1 + strength)  // magenta
                : way < 5 ? (1 + strength, 1 + strength, 1 - strength)  // yellow
                : (1 - strength, 1 + strength / 2, 1 + strength / 2)  // cyan
            return .colourCast(red: gains.0, green: gains.1, blue: gains.2)
        case 6: return .blocks(factor: 3 + Int(unit() * 4))
        case 7: return .rotation(degrees: (unit() < 0.5 ? -1 : 1) * uniform(3, 8))
        default:
            return .localBlur(sigma: uniform(1.5, 3), centreX: uniform(0.35, 0.65), centreY: uniform(0.35, 0.65),
                              radiusX: uniform(0.2, 0.35), radiusY: uniform(0.2, 0.35))
        }
    }

    /// Applies the fault in place to `image` (3, height, width).
    func apply(to image: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        let plane = height * width
        switch self {
        case let .gaussianBlur(sigma):
            for c in 0..<3 { ImageFilters.gaussianBlur(image + c * plane, height: height, width: width, sigma: sigma) }
        case let .motionBlur(length, angle):
            for c in 0..<3 {
                ImageFilters.lineAverage(image + c * plane, height: height, width: width, length: length, angle: angle)
            }
        case let .noise(sigma, seed):
            let random = CounterRandom(seed: seed)
            for i in 0..<(3 * plane) {
                // Box-Muller from two counter draws: the same seed gives the same noise.
                let u1 = max(random.unit(stream: 1, counter: UInt64(i)), 1e-12)
                let u2 = random.unit(stream: 2, counter: UInt64(i))
                image[i] = clip(image[i] + sigma * Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)))
            }
        case let .exposure(gain):
            for i in 0..<(3 * plane) { image[i] = clip((image[i] + 0.5) * gain - 0.5) }
        case let .haze(amount):
            let grey: Float = 0.85 - 0.5
            for i in 0..<(3 * plane) { image[i] = image[i] * (1 - amount) + grey * amount }
        case let .colourCast(red, green, blue):
            for (c, gain) in [red, green, blue].enumerated() {
                for i in (c * plane)..<((c + 1) * plane) { image[i] = clip((image[i] + 0.5) * gain - 0.5) }
            }
        case let .blocks(factor):
            for c in 0..<3 { ImageFilters.blockAverage(image + c * plane, height: height, width: width, factor: factor) }
        case let .rotation(degrees):
            ImageFilters.rotate(image, channels: 3, height: height, width: width, degrees: degrees)
        case let .localBlur(sigma, centreX, centreY, radiusX, radiusY):
            let blurred = UnsafeMutablePointer<Float>.allocate(capacity: 3 * plane)
            defer { blurred.deallocate() }
            blurred.update(from: image, count: 3 * plane)
            Degradation.gaussianBlur(sigma: sigma).apply(to: blurred, height: height, width: width)
            for y in 0..<height {
                let dy = (Float(y) / Float(height) - centreY) / radiusY
                for x in 0..<width {
                    let dx = (Float(x) / Float(width) - centreX) / radiusX
                    // A soft edge: fully blurred inside r = 0.8, sharp past r = 1.2.
                    let weight = min(max((1.2 - (dx * dx + dy * dy).squareRoot()) / 0.4, 0), 1)
                    guard weight > 0 else { continue }
                    for c in 0..<3 {
                        let i = c * plane + y * width + x
                        image[i] += weight * (blurred[i] - image[i])
                    }
                }
            }
        }
    }
}

/// Keeps a value inside the input range of a pixel: [-0.5, 0.5].
private func clip(_ v: Float) -> Float { min(max(v, -0.5), 0.5) }
