/// Geometry of the sample grids (`samples.jpg`, `cam.jpg`): sections, each a
/// title strip over rows of cells. A cell is a frame `border` pixels wide
/// around a photo box (the photo fitted inside, aspect kept) and a caption
/// strip under it. All sizes in pixels; public so tests and callers can
/// predict where each tile lies.
public struct SampleGridLayout: Sendable, Equatable {
    public var columns = 5
    /// The box each photo is scaled to fit: 3:2, the shape of most camera
    /// photos, so those fill it; other shapes are centred on grey.
    public var tileWidth = 192
    public var tileHeight = 128
    public var captionHeight = 24
    /// Frame thickness: red for a misclassified photo, grey otherwise.
    public var border = 6
    /// Space between cells, and between a section's title and its first row.
    public var gap = 8
    /// Space around the whole grid and between sections.
    public var margin = 14
    public var titleHeight = 30

    public init() {}

    public var cellWidth: Int { tileWidth + 2 * border }
    public var cellHeight: Int { tileHeight + captionHeight + 2 * border }

    public var width: Int { 2 * margin + columns * cellWidth + (columns - 1) * gap }

    func rows(_ count: Int) -> Int { (count + columns - 1) / columns }

    /// Height of one section of `count` cells; empty sections are not drawn.
    func sectionHeight(_ count: Int) -> Int {
        count == 0 ? 0 : titleHeight + gap + rows(count) * cellHeight + (rows(count) - 1) * gap + margin
    }

    /// Height of a grid whose sections hold these numbers of photos.
    public func height(sectionCounts: [Int]) -> Int {
        margin + sectionCounts.map(sectionHeight).reduce(0, +)
    }

    /// Top of section `section`'s title strip.
    public func sectionTop(_ section: Int, sectionCounts: [Int]) -> Int {
        margin + sectionCounts.prefix(section).map(sectionHeight).reduce(0, +)
    }

    /// Top-left corner of cell `index` (row-major) in section `section`;
    /// the frame starts there and the photo box `border` pixels further in.
    public func cellOrigin(section: Int, index: Int, sectionCounts: [Int]) -> (x: Int, y: Int) {
        let top = sectionTop(section, sectionCounts: sectionCounts) + titleHeight + gap
        return (margin + (index % columns) * (cellWidth + gap), top + (index / columns) * (cellHeight + gap))
    }
}
