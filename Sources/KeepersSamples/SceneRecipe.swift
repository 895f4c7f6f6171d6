import KeepersCore

/// Flaws a "bad" frame carries (one or two of them).
public enum Defect: String, CaseIterable, Sendable, Codable {
    case tilted, underexposed, overexposed, blurred, hazy, noisy, centredHorizon
    /// Only burst frames are shaken (SampleGenerator), never a single photo.
    case shaken
}

/// Everything that decides how one synthetic landscape looks, drawn from a
/// seeded generator so the sample set is identical on every machine.
///
/// The taste it encodes is the seed author's: good frames have a level horizon
/// near the lower third, good exposure, blue/green/white colours. Bad frames
/// share the same distributions of size, aspect, palette and content, and
/// differ only by their defects, so no single global statistic gives the
/// class away.
public struct SceneRecipe: Sendable, Codable, Equatable {
    public var good: Bool
    public var defects: [Defect]
    public var width: Int
    public var height: Int
    /// Horizon height as a fraction of the frame from the top.
    public var horizon: Double
    /// Horizon tilt in degrees.
    public var tilt: Double
    /// Multiplier on linear brightness.
    public var exposure: Double
    /// Gaussian blur sigma as a fraction of the width (0 = sharp).
    public var blur: Double
    /// Blend towards flat grey (0 = none).
    public var haze: Double
    /// Sensor-like noise standard deviation in 0-255 units.
    public var noise: Double
    /// Sea (flat, blue) or hills (wavy, green) below the horizon.
    public var sea: Bool
    public var hillWaves: [Double]
    public var skyTop: [Double]
    public var skyBottom: [Double]
    public var ground: [Double]
    public var sun: [Double]?  // x, y, radius as fractions of the width
    public var clouds: Int
    /// EXIF orientation the file is written with (pixels stored rotated to match).
    public var orientation: Int
    public var textureSeed: UInt64
    /// The view panned right by this fraction of the width (a burst's reframing).
    public var pan = 0.0
    /// Horizontal camera-shake streak, as a fraction of the width (0 = steady).
    public var shake = 0.0
    /// The capture time written into the file's EXIF ("2017:06:01 09:00:00")
    /// and its sub-seconds ("3" = 0.3 s).
    public var captured: String?
    public var subSeconds: String?

    static let aspects: [(Int, Int)] = [(3, 2), (4, 3), (16, 9), (2, 3), (1, 1)]

    public static func draw(index: Int, good: Bool, seed: UInt64, sizeScale: Double = 1) -> SceneRecipe {
        var rng = SequentialRandom(seed: seed, stream: UInt64(index) &+ 1)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * rng.unit()
        }
        let (aw, ah) = aspects[Int(rng.unit() * Double(aspects.count))]
        let longSide = uniform(800...2400) * sizeScale
        let landscape = aw >= ah
        let width = Int((landscape ? longSide : longSide * Double(aw) / Double(ah)).rounded())
        let height = Int((landscape ? longSide * Double(ah) / Double(aw) : longSide).rounded())

        var defects: [Defect] = []
        if !good {
            var pool = Defect.allCases.filter { $0 != .shaken }
            let count = rng.unit() < 0.6 ? 1 : 2
            for _ in 0..<count {
                let pick = pool.remove(at: Int(rng.unit() * Double(pool.count)))
                defects.append(pick)
            }
            if defects.contains(.underexposed) && defects.contains(.overexposed) { defects.removeLast() }
        }
        let has = { (d: Defect) in defects.contains(d) }

        let sea = rng.unit() < 0.4
        let skyTop = [uniform(40...90), uniform(100...150), uniform(190...240)]
        let skyBottom = [uniform(170...220), uniform(200...230), uniform(225...250)]
        let ground = sea ? [uniform(20...60), uniform(70...120), uniform(130...180)]
                         : [uniform(50...100), uniform(110...160), uniform(40...80)]
        let sunPresent = rng.unit() < 0.5
        let sun = sunPresent ? [uniform(0.1...0.9), uniform(0.05...0.3), uniform(0.03...0.07)] : nil
        let waves = (0..<3).map { _ in uniform(-1...1) }

        return SceneRecipe(
            good: good, defects: defects, width: width, height: height,
            horizon: has(.centredHorizon) ? uniform(0.44...0.54) : uniform(0.60...0.72),
            tilt: has(.tilted) ? (rng.unit() < 0.5 ? -1 : 1) * uniform(7...16) : uniform(-0.8...0.8),
            exposure: has(.underexposed) ? uniform(0.30...0.50) : has(.overexposed) ? uniform(1.7...2.3) : uniform(0.9...1.1),
            blur: has(.blurred) ? uniform(0.008...0.014) : 0,
            haze: has(.hazy) ? uniform(0.55...0.75) : uniform(0...0.08),
            noise: has(.noisy) ? uniform(28...45) : uniform(1...4),
            sea: sea, hillWaves: waves, skyTop: skyTop, skyBottom: skyBottom, ground: ground, sun: sun,
            clouds: Int(uniform(0...4)),
            orientation: index % 17 == 5 ? 6 : index % 29 == 11 ? 8 : index % 31 == 3 ? 3 : 1,
            textureSeed: rng.next())
    }
}
