internal import CVips

/// Which libvips loaders may decode a photo. libvips sniffs a file's content
/// and picks any loader it has, including ones it calls untrusted (librsvg,
/// poppler, ImageMagick and through it Ghostscript): an SVG or PDF renamed
/// `.jpg` would be parsed by them. Keepers blocks every loader at start-up
/// and unblocks only the photo formats below, so libvips itself refuses the
/// rest ("operation is blocked") even if a caller forgets to check;
/// `check(loader:)` gives the photo's refusal a readable reason first.
public enum LoaderPolicy {
    /// libvips loader base classes that read photos; each covers its file,
    /// buffer and source variants. A class missing from this libvips build
    /// (HEIF, JPEG XL are optional modules) is ignored. RAW: add its loader here.
    public static let photoLoaders = [
        "VipsForeignLoadJpeg",
        "VipsForeignLoadPng",
        "VipsForeignLoadWebp",
        "VipsForeignLoadTiff",
        "VipsForeignLoadNsgif",
        "VipsForeignLoadHeif",
        "VipsForeignLoadJxl",
    ]

    /// Blocks every loader but the photo loaders. Called once, from libvips'
    /// initialisation (`Vips`), before any file is opened.
    static func apply() {
        vips_operation_block_set("VipsForeignLoad", 1)
        for loader in photoLoaders { vips_operation_block_set(loader, 0) }
    }

    /// The loader's base class: "VipsForeignLoadSvgBuffer" -> "VipsForeignLoadSvg".
    static func baseClass(_ loader: String) -> String {
        for variant in ["Buffer", "Source", "File"] where loader.hasSuffix(variant) {
            return String(loader.dropLast(variant.count))
        }
        return loader
    }

    /// Short format name for messages: "VipsForeignLoadSvgBuffer" -> "svg".
    public static func formatName(_ loader: String) -> String {
        String(baseClass(loader).dropFirst("VipsForeignLoad".count)).lowercased()
    }

    public static func isAllowed(loader: String) -> Bool {
        photoLoaders.contains(baseClass(loader))
    }

    /// Throws `FormatNotAllowed` unless `loader` (as named by libvips'
    /// content sniffing) is a photo loader.
    public static func check(loader: String) throws {
        guard isAllowed(loader: loader) else { throw FormatNotAllowed(format: formatName(loader)) }
    }

    /// Runs `body` with one blocked loader allowed, for Keepers' own trusted
    /// input (the report's charts are SVG that Keepers drew). Holds libvips'
    /// exclusive lock, so no photo is being opened in this process meanwhile.
    static func withTrusted<T>(_ loader: String, _ body: () throws -> T) throws -> T {
        try Vips.ready()
        return try Vips.exclusive {
            vips_operation_block_set(loader, 0)
            defer { vips_operation_block_set(loader, 1) }
            return try body()
        }
    }
}

/// A file whose content is a format Keepers does not decode (see `LoaderPolicy`).
public struct FormatNotAllowed: Error, Equatable, CustomStringConvertible {
    public let format: String
    public var description: String { "format not allowed: \(format)" }
}
