/// How a photo becomes pixels, beyond what `ImageSettings` says: the decode
/// and resize path and the libvips that runs it. Stored images depend on it,
/// so ingest's fingerprint and the shards' include `identity`: a Keepers
/// release that changes the path, or a libvips of another minor version,
/// re-ingests instead of mixing differently made images in one work dir.
public enum DecodeRecipe {
    /// Raise whenever the decode path changes stored pixels.
    /// 1: libvips thumbnail's own shrink-on-load (JPEG at >= 2x the target).
    /// 2: JPEG decoded at the smallest DCT scale still covering the target.
    static let revision = 2

    /// Patch releases of libvips fix bugs and leave resampling alone; a
    /// minor release may change it. (libjpeg-turbo's scaled inverse DCT is
    /// not visible from here; its output has been stable across releases.)
    public static var identity: String {
        "decode \(revision), libvips \(Vips.minorVersion)"
    }

    /// The largest JPEG DCT shrink (8, 4, 2 or 1) whose decoded image still
    /// covers `target` in both directions, so the final resize only ever
    /// reduces. libjpeg rounds a scaled size up. Sizes are upright (after
    /// EXIF rotation) for both, so the orientation cannot mix them up.
    public static func jpegShrink(source: (width: Int, height: Int), target: (width: Int, height: Int)) -> Int {
        var shrink = 8
        while shrink > 1 {
            let width = (source.width + shrink - 1) / shrink
            let height = (source.height + shrink - 1) / shrink
            if width >= target.width && height >= target.height { break }
            shrink /= 2
        }
        return shrink
    }
}
