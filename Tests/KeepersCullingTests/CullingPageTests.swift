import Foundation
import Testing
@testable import KeepersCulling

@Suite struct CullingPageTests {
    static let hostile = "/in/x\"><b>bold<script>alert(1)<img src=y onerror=alert(2)>'.jpg"

    static func tiles() -> [PageTile] {
        var tiles = [
            PageTile(row: 1, path: "/in/a2.jpg", score: 0.9), PageTile(row: 2, path: Self.hostile, score: 0.8),
            PageTile(row: 3, path: "/in/a1.jpg", score: 0.4), PageTile(row: 4, path: "/in/c.jpg", score: 0.2),
            PageTile(row: 5, path: "/in/<broken>.jpg", score: nil, error: "corrupt <image>"),
        ]
        (tiles[0].group, tiles[0].rank, tiles[0].kept) = (1, 1, true)
        (tiles[1].group, tiles[1].rank, tiles[1].kept) = (2, 1, true)
        (tiles[2].group, tiles[2].rank) = (1, 2)
        (tiles[3].group, tiles[3].rank, tiles[3].reasons) = (3, 1, [.dark, .noisy])
        for i in 0..<4 { (tiles[i].thumbnail, tiles[i].thumbnailWidth, tiles[i].thumbnailHeight) = ("thumbs/\(i).jpg", 320, 213) }
        return tiles
    }

    static let summary = PageSummary(model: "/w/<model>.h5", validationAUC: 0.8125, threshold: 0.5)

    /// Photo names are untrusted: none of their markup reaches the page.
    @Test func fileNamesAndErrorsAreEscaped() {
        let html = CullingPage.html(tiles: Self.tiles(), summary: Self.summary)
        #expect(!html.contains("<b>") && !html.contains("<script>alert") && !html.contains("<img src=y"))
        #expect(!html.contains("x\">") && !html.contains("<broken>") && !html.contains("<image>") && !html.contains("<model>"))
        #expect(html.contains("x&quot;&gt;&lt;b&gt;bold&lt;script&gt;alert(1)&lt;img src=y onerror=alert(2)&gt;&#39;.jpg"))
        #expect(html.components(separatedBy: "<script>").count == 2)  // the page's own script only
    }

    @Test func burstsAreOneRowBestFirstAndTheHeaderCounts() {
        let html = CullingPage.html(tiles: Self.tiles(), summary: Self.summary)
        let burst = html.components(separatedBy: "<section class=\"burst\"")
        #expect(burst.count == 2)
        let frames = burst[1].components(separatedBy: "</section>")[0]
        #expect(frames.components(separatedBy: "data-row=").map { $0.prefix(3) }.dropFirst() == ["\"1\"", "\"3\""])
        #expect(frames.contains("class=\"badge\">best<"))
        #expect(html.contains("<strong>5</strong> photos: <strong>2</strong> kept (score &ge; 0.500), 2 rejected, 3 groups (1 burst of 2 photos), 1 unreadable"))
        #expect(html.contains("validation AUC 0.812"))
        #expect(html.contains("too dark; noisy"))
        #expect(html.contains("loading=\"lazy\""))
    }
}
