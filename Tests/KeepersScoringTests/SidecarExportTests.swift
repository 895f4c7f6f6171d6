import Foundation
import KeepersCore
import KeepersXMP
import Testing
@testable import KeepersScoring

@Suite struct SidecarExportTests {
    @Test func writesEachScoredPhotoOnceAndReportsSharedSidecars() throws {
        let temp = try TemporaryDirectory(prefix: "keepers-export")
        let path = { (name: String) in temp.url.appendingPathComponent(name).path }
        let predictions = [
            Prediction(path: path("IMG_1.CR2"), score: 0.9, error: nil),
            Prediction(path: path("IMG_1.JPG"), score: 0.8, error: nil),
            Prediction(path: path("broken.jpg"), score: nil, error: "corrupt"),
        ]
        var writer = SidecarWriter(scale: try StarScale(threshold: 0.5), threshold: 0.5, label: "Green")
        writer.naming = .stem
        let dryRun = SidecarExport.write(predictions, with: writer, dryRun: true)
        #expect(dryRun.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.url.path).isEmpty)

        #expect(SidecarExport.messages(dryRun, dryRun: true).last == "XMP sidecars: 1 would change, 0 unchanged, 1 failed")
        let outcomes = SidecarExport.write(predictions, with: writer, dryRun: false)
        #expect(try outcomes[0].result.get().changed)
        #expect("\(try #require(outcomes[1].result.failure))".contains("also the sidecar of \(path("IMG_1.CR2"))"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.url.path) == ["IMG_1.xmp"])

        writer.naming = .full
        let full = SidecarExport.write(predictions, with: writer, dryRun: false)
        #expect(full.allSatisfy { (try? $0.result.get().changed) == true })
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: temp.url.path))
            == ["IMG_1.xmp", "IMG_1.CR2.xmp", "IMG_1.JPG.xmp"])
    }
}

private extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
