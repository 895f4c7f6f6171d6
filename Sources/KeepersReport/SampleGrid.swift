import Foundation
import KeepersCore
import KeepersCulling
import KeepersImaging

/// One titled block of a sample grid.
public struct SampleSection: Sendable {
    public var title: String
    public var photos: [ScoredPhoto]

    public init(title: String, photos: [ScoredPhoto]) {
        self.title = title
        self.photos = photos
    }
}

/// Draws the sample grids. Photos are scaled by libvips (lanczos); the
/// canvas is composed with RGBImage's pixel drawing (see Drawing.swift) and
/// text comes from libvips' `vips_text`.
public enum SampleGrid {
    static let background: RGBImage.Colour = (255, 255, 255)
    static let boxBackground: RGBImage.Colour = (236, 236, 236)
    static let frame: RGBImage.Colour = (200, 200, 200)
    /// Saturated so it survives JPEG's chroma subsampling as unmistakably red.
    public static let misclassifiedFrame: RGBImage.Colour = (220, 20, 20)
    static let ink: RGBImage.Colour = (34, 34, 34)
    static let misclassifiedKey = "red frame: misclassified at threshold 0.5"

    /// The `top` highest-scoring photos (highest first) and the `bottom`
    /// lowest-scoring of the rest (lowest first); no photo appears twice.
    public static func select(_ photos: [ScoredPhoto], top: Int, bottom: Int)
        -> (highest: [ScoredPhoto], lowest: [ScoredPhoto]) {
        let sorted = ScoresCSV.sortedByScore(photos)
        let highest = Array(sorted.prefix(max(0, top)))
        let rest = sorted.dropFirst(highest.count)
        return (highest, Array(rest.suffix(max(0, min(bottom, rest.count))).reversed()))
    }

    /// Renders the sections into one image.
    /// - Parameter decorate: turns the photo, already fitted to its box, into
    ///   the tile shown (the CAM grid overlays its map here).
    public static func render(_ sections: [SampleSection], layout: SampleGridLayout = SampleGridLayout(),
                              decorate: (ScoredPhoto, RGBImage) -> RGBImage = { $1 }) throws -> RGBImage {
        let counts = sections.map(\.photos.count)
        var canvas = RGBImage(width: layout.width, height: layout.height(sectionCounts: counts), fill: background)
        // The key travels with the image: grids get shared without the page's captions.
        let key = try TextRenderer.render(misclassifiedKey, font: "DejaVu Sans 12")
        for (s, section) in sections.enumerated() where !section.photos.isEmpty {
            let title = try TextRenderer.render(section.title, font: "DejaVu Sans Bold 16")
            let top = layout.sectionTop(s, sectionCounts: counts)
            canvas.draw(title, x: layout.margin, y: top + (layout.titleHeight - title.height) / 2, colour: ink)
            if s == counts.firstIndex(where: { $0 > 0 }) {
                canvas.draw(key, x: layout.width - layout.margin - key.width,
                            y: top + (layout.titleHeight - key.height) / 2, colour: misclassifiedFrame)
            }
            for (index, photo) in section.photos.enumerated() {
                let origin = layout.cellOrigin(section: s, index: index, sectionCounts: counts)
                try drawCell(photo, at: origin, on: &canvas, layout: layout, decorate: decorate)
            }
        }
        return canvas
    }

    static func drawCell(_ photo: ScoredPhoto, at origin: (x: Int, y: Int), on canvas: inout RGBImage,
                         layout: SampleGridLayout, decorate: (ScoredPhoto, RGBImage) -> RGBImage) throws {
        let wrong = photo.isMisclassified
        canvas.outline(x: origin.x, y: origin.y, width: layout.cellWidth, height: layout.cellHeight,
                       thickness: layout.border, colour: wrong ? misclassifiedFrame : frame)
        let boxX = origin.x + layout.border, boxY = origin.y + layout.border
        canvas.fill(x: boxX, y: boxY, width: layout.tileWidth, height: layout.tileHeight, colour: boxBackground)
        guard let image = photo.image else {
            throw KeepersError.invalidArgument("photo \(photo.id) is in a sample grid but has no image")
        }
        let size = ImageOps.fittingSize(width: image.width, height: image.height,
                                        boxWidth: layout.tileWidth, boxHeight: layout.tileHeight)
        let tile = decorate(photo, try ImageOps.resize(image, width: size.width, height: size.height))
        canvas.paste(tile, x: boxX + (layout.tileWidth - tile.width) / 2, y: boxY + (layout.tileHeight - tile.height) / 2)

        // A long class name is cut at the photo box rather than drawn over the frame.
        let caption = try TextRenderer.render(captionText(photo), font: "DejaVu Sans 12")
            .cropped(width: layout.tileWidth, height: layout.captionHeight)
        let captionY = boxY + layout.tileHeight
        canvas.draw(caption, x: boxX + max(0, (layout.tileWidth - caption.width) / 2),
                    y: captionY + (layout.captionHeight - caption.height) / 2,
                    colour: wrong ? misclassifiedFrame : ink)
    }

    /// "0.973  good": the score to three decimals and the true class; a
    /// misclassified photo adds its first reason ("0.213  good  too dark").
    static func captionText(_ photo: ScoredPhoto) -> String {
        String(format: "%.3f", photo.score) + "  " + photo.label
            + (photo.isMisclassified ? photo.reasons.first.map { "  " + $0.words } ?? "" : "")
    }
}
