import Foundation
import KeepersTestSupport
import Testing
@testable import KeepersReport

@Suite struct ReportPageTests {
    func page() -> ReportPage {
        ReportPage(
            title: "Keepers report: <demo> & co",
            subtitle: "run \"demo\"",
            keyNumbers: [("Test AUC", "0.912 (95% CI 0.85-0.96)"), ("Accuracy at 0.5", "84.1%")],
            figures: [
                .init(source: "roc.png", caption: "ROC curve on the test set"),
                .init(source: "training.png", caption: "Training loss & accuracy"),
                .init(source: "samples.jpg", caption: "Highest and lowest scored test photos"),
                .init(source: "cam.jpg", caption: "Class activation maps", alt: "Heat maps over photos"),
            ],
            architecture: [("conv1 <3x3>", "16×120×160", 448), ("dense", "1", 1_234_567)],
            configText: "name: demo\nnote: <script>alert('x')</script> & more\n")
    }

    @Test func containsEveryFigureWithCaption() {
        let html = page().html()
        let xml = XMLCheck(html)
        #expect(xml.isWellFormed, "\(xml.parseError ?? "")")
        let sources = xml.named("img").compactMap { $0.attributes["src"] }
        #expect(sources == ["roc.png", "training.png", "samples.jpg", "cam.jpg"])
        #expect(xml.named("figcaption").count == 4)
        #expect(xml.texts.contains("Training loss & accuracy"))
        #expect(xml.named("img").last?.attributes["alt"] == "Heat maps over photos")
        #expect(xml.named("img").first?.attributes["alt"] == "ROC curve on the test set")
    }

    @Test func escapesAllText() {
        let html = page().html()
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<demo>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
        let xml = XMLCheck(html)
        #expect(xml.texts.contains("name: demo\nnote: <script>alert('x')</script> & more\n"))
        #expect(xml.texts.contains("Keepers report: <demo> & co"))
        #expect(xml.named("script").isEmpty)
    }

    @Test func isSelfContained() {
        let html = page().html()
        #expect(html.contains("<style>"))
        // No external resources: nothing fetched over the network.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<link"))
    }

    @Test func architectureTableHasRowsAndTotal() {
        let xml = XMLCheck(page().html())
        #expect(xml.texts.contains("conv1 <3x3>") && xml.texts.contains("16×120×160"))
        #expect(xml.texts.contains("1,234,567"))
        #expect(xml.texts.contains("1,235,015"))  // 448 + 1,234,567
        #expect(xml.named("tr").count == 2 + 1 + 2 + 1)  // key numbers, header, layers, total
    }

    @Test func dataURIEmbedsBytes() {
        let uri = ReportPage.Figure.dataURI(Data([0x89, 0x50, 0x4E, 0x47]), mimeType: "image/png")
        #expect(uri == "data:image/png;base64,iVBORw==")
    }
}
