// In KeepersCore rather than KeepersConfig so that the libvips wrapper
// (KeepersImaging) takes it as a plain value without depending on the
// config reader; KeepersConfig fills it from `ingest.image`.

/// Settings that change the stored pixels: when they change, every photo is redone.
public struct ImageSettings: Codable, Sendable, Equatable {
    /// Output width in pixels; the aspect ratio is kept.
    public var width = 480
    /// Output heights are snapped down to a multiple of this (centred crop).
    public var heightQuantum = 16
    /// Bounds on height / width; photos beyond them are centre-cropped to the bound.
    public var minAspect = 0.5
    public var maxAspect = 1.5
    /// Background (RGB 0-255) that transparent pixels are flattened onto.
    public var background = [255, 255, 255]
    public init() {}
}
