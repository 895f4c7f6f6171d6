import CVips
import Foundation
import KeepersCore
import Testing
@testable import KeepersImaging

/// Files that are not photos but that libvips could parse with a loader it
/// calls untrusted (librsvg, poppler, ImageMagick/Ghostscript), named like a
/// photo. Only the photo loaders of `LoaderPolicy` may decode.
@Suite struct HostileInputTests {
    static let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="red"/></svg>
        """
    // A one-page PDF (what poppler would render); offsets need not be exact for sniffing.
    static let pdf = """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 64 48] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """
    static let postScript = """
        %!PS-Adobe-3.0
        %%BoundingBox: 0 0 64 48
        newpath 0 0 moveto 64 0 lineto 64 48 lineto closepath fill showpage
        """

    func preprocessor() throws -> PhotoPreprocessor {
        var settings = ImageSettings()
        settings.width = 64
        return try PhotoPreprocessor(settings: settings, maxPixels: 50_000_000)
    }

    @Test(arguments: [(svg, "svg"), (pdf, "pdf"), (postScript, "magick")])
    func disguisedDocumentsAreRefusedByFormat(content: String, format: String) throws {
        #expect(throws: FormatNotAllowed(format: format)) { try preprocessor().process(Data(content.utf8)) }
        #expect("\(FormatNotAllowed(format: format))" == "format not allowed: \(format)")
    }

    @Test func libvipsItselfRefusesABlockedLoaderCalledDirectly() throws {
        try Vips.ready()
        var bytes = Array(Self.svg.utf8)
        let result = bytes.withUnsafeMutableBytes { raw in
            Vips.exclusive { () -> String? in
                var out: UnsafeMutablePointer<VipsImage>?
                guard kp_svgload_buffer(raw.baseAddress, raw.count, &out, 1) != 0 else {
                    g_object_unref(out)
                    return nil
                }
                return Vips.takeError("").message
            }
        }
        #expect(result?.contains("operation is blocked") == true, "\(result ?? "svgload succeeded")")
    }

    @Test func reportChartsStillRasteriseAndPhotosStayRefusedAfterwards() throws {
        let chart = try SVGRaster.image(svg: Self.svg)
        #expect(chart.width == 64 && chart.height == 48)
        #expect(chart.pixels[0] > 200 && chart.pixels[1] < 50, "the chart's red rectangle")
        #expect(throws: FormatNotAllowed(format: "svg")) { try preprocessor().process(Data(Self.svg.utf8)) }
    }

    @Test func photoFormatsStayAllowed() {
        for loader in ["VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadWebpBuffer",
                       "VipsForeignLoadTiffBuffer", "VipsForeignLoadNsgifBuffer", "VipsForeignLoadHeifBuffer"] {
            #expect(LoaderPolicy.isAllowed(loader: loader), "\(loader)")
        }
        for loader in ["VipsForeignLoadSvgBuffer", "VipsForeignLoadPdfBuffer", "VipsForeignLoadMagickBuffer",
                       "VipsForeignLoadJp2kBuffer", "VipsForeignLoadRadBuffer"] {
            #expect(!LoaderPolicy.isAllowed(loader: loader), "\(loader)")
        }
    }
}
