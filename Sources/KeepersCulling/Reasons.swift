import Foundation
import KeepersNetwork

/// A reason a photo scores low, in a photographer's words.
public enum Reason: String, CaseIterable, Sendable {
    case soft, dark, highlights, lowContrast, noisy, tilted, colourCast, unlike

    public var words: String {
        switch self {
        case .soft: return "soft or blurred"
        case .dark: return "too dark"
        case .highlights: return "blown highlights"
        case .lowContrast: return "low contrast"
        case .noisy: return "noisy"
        case .tilted: return "tilted"
        case .colourCast: return "colour cast"
        case .unlike: return "unlike your keepers"
        }
    }

    /// The reasons as the CSV's `reasons` column and the page show them: "too dark; noisy".
    public static func text(_ reasons: [Reason]) -> String {
        reasons.map(\.words).joined(separator: "; ")
    }
}

/// Finds the signals that pull a photo's score down (docs/formats.md,
/// "Reasons"). Each fault is seen by a few image statistics moving one way
/// (`signals`); a statistic speaks for its fault when the photo lies at
/// least `minimumDeviation` robust spreads beyond the good training
/// photos' median in that direction (`GoodStatistics`) and, when the model
/// has an additive model of the statistics, that statistic's own term of
/// the logit is lower there than at the keepers' median by at least
/// `minimumPull`: the model itself holds it against the photo. Faults are
/// ranked by their strongest statistic's pull (by its deviation without an
/// additive model). A narrower tonal range is the consequence of dimmed
/// highlights or clipped ones rather than a fault of its own, so "low
/// contrast" gives way to "too dark" and "blown highlights" (haze lifts the
/// blacks; under-exposure does not); and a brighter frame with lifted
/// blacks but no clipping is haze, not blown highlights. Only photos below the threshold have
/// reasons; one with no fault is "unlike your keepers".
public struct ReasonFinder: Sendable {
    /// A statistic that moves one way (+1 up, -1 down) when a photo has `reason`.
    struct Signal: Sendable {
        let statistic: Int
        let direction: Float
        let reason: Reason
    }

    /// Statistics by index in `ImageStatistics.names` (docs/model.md).
    static let signals: [Signal] = [
        // Sharpness: Laplacian variance, mean |L|, gradient energy, p99 |L|, block variances.
        Signal(statistic: 0, direction: -1, reason: .soft), Signal(statistic: 1, direction: -1, reason: .soft),
        Signal(statistic: 2, direction: -1, reason: .soft), Signal(statistic: 3, direction: -1, reason: .soft),
        Signal(statistic: 18, direction: -1, reason: .soft), Signal(statistic: 19, direction: -1, reason: .soft),
        // Exposure: mean and median luminance, its p95 and p99, crushed shadows.
        Signal(statistic: 4, direction: -1, reason: .dark), Signal(statistic: 8, direction: -1, reason: .dark),
        Signal(statistic: 9, direction: -1, reason: .dark), Signal(statistic: 10, direction: -1, reason: .dark),
        Signal(statistic: 12, direction: 1, reason: .dark),
        // Clipped highlights, and the whole frame too bright.
        Signal(statistic: 13, direction: 1, reason: .highlights), Signal(statistic: 4, direction: 1, reason: .highlights),
        Signal(statistic: 8, direction: 1, reason: .highlights),
        // Contrast: luminance spread, p99 - p1, lifted blacks, washed-out colour.
        Signal(statistic: 5, direction: -1, reason: .lowContrast), Signal(statistic: 11, direction: -1, reason: .lowContrast),
        Signal(statistic: 6, direction: 1, reason: .lowContrast), Signal(statistic: 7, direction: 1, reason: .lowContrast),
        Signal(statistic: 20, direction: -1, reason: .lowContrast),
        // Noise: the pixel against its neighbours' mean.
        Signal(statistic: 15, direction: 1, reason: .noisy),
        // Tilt: edges leaning a few degrees, fewer level ones.
        // (The level share, 22, moves either way when a photo is rotated and cropped.)
        Signal(statistic: 24, direction: 1, reason: .tilted), Signal(statistic: 23, direction: 1, reason: .tilted),
        // Colour: more colourful or saturated than the keepers.
        Signal(statistic: 14, direction: 1, reason: .colourCast), Signal(statistic: 20, direction: 1, reason: .colourCast),
    ]

    public static let minimumDeviation: Float = 2
    /// Logit units.
    public static let minimumPull = 0.05
    public static let maximumReasons = 3

    public let good: GoodStatistics?
    public let normalisation: StatisticsNormalisation
    public let additive: AdditiveLogistic?

    /// `additive` reads statistics standardised by `normalisation`.
    public init(good: GoodStatistics?, normalisation: StatisticsNormalisation = .identity, additive: AdditiveLogistic? = nil) {
        self.good = good
        self.normalisation = normalisation
        self.additive = additive
    }

    /// Whether the finder can name faults, not only "unlike your keepers".
    public var namesFaults: Bool { good != nil }

    /// The reasons behind one photo's score, strongest first: raw image
    /// `statistics` (nil when not computed), its score and the keep threshold.
    /// Statistics whose deviation shows a fault's own cause: blacks lifted
    /// (p1, p5), highlights dimmed (p95, p99), highlights clipped.
    static let liftedBlacks: Set = [6, 7], dimmedHighlights: Set = [9, 10], clippedHighlights: Set = [13]

    public func reasons(statistics: [Float]?, score: Double, threshold: Double) -> [Reason] {
        guard score < threshold else { return [] }
        let faults = statistics.map(faults) ?? []
        return faults.isEmpty ? [.unlike] : faults
    }

    /// The faults, strongest first.
    func faults(_ raw: [Float]) -> [Reason] {
        guard let good, raw.count == good.median.count else { return [] }
        let standard = additive.map { _ in normalisation.apply(raw) }
        let standardMedian = additive.map { _ in normalisation.apply(good.median) }
        var strength: [Reason: Double] = [:]
        var seenBy: [Reason: Set<Int>] = [:]
        for signal in Self.signals {
            let f = signal.statistic
            let deviation = signal.direction * good.deviation(raw[f], statistic: f)
            guard deviation >= Self.minimumDeviation, deviation.isFinite else { continue }
            var weight = Double(deviation)
            if let additive, let standard, let standardMedian {
                let pull = additive.contribution(standard[f], statistic: f) - additive.contribution(standardMedian[f], statistic: f)
                guard pull <= -Self.minimumPull else { continue }
                weight = -pull
            }
            strength[signal.reason] = max(strength[signal.reason] ?? 0, weight)
            seenBy[signal.reason, default: []].insert(f)
        }
        if let contrast = seenBy[.lowContrast], contrast.isDisjoint(with: Self.liftedBlacks),
           !(seenBy[.dark] ?? []).isDisjoint(with: Self.dimmedHighlights) {
            strength[.lowContrast] = nil
        }
        if !(seenBy[.highlights] ?? []).isDisjoint(with: Self.clippedHighlights) {
            strength[.lowContrast] = nil
        } else if !(seenBy[.lowContrast] ?? []).isDisjoint(with: Self.liftedBlacks) {
            strength[.highlights] = nil  // a brighter frame without clipping: the haze's grey veil
        }
        let ranked = strength.sorted { a, b in
            a.value != b.value ? a.value > b.value
                : Reason.allCases.firstIndex(of: a.key)! < Reason.allCases.firstIndex(of: b.key)!
        }
        return ranked.prefix(Self.maximumReasons).map(\.key)
    }
}
