import Foundation
import KeepersCore
import Testing
@testable import KeepersScoring

@Suite struct PredictionOutputTests {
    let rows = [
        Prediction(path: "/p/b.jpg", score: 0.2, error: nil),
        Prediction(path: "/p/broken.jpg", score: nil, error: "corrupt or unsupported image: x"),
        Prediction(path: "/p/a, \"quoted\".jpg", score: 0.9, error: nil),
        Prediction(path: "/p/c.jpg", score: 0.9, error: nil),
    ]

    @Test func sortsBestFirstWithUnreadablePhotosLast() {
        #expect(PredictionOutput.sorted(rows).map(\.path) == ["/p/a, \"quoted\".jpg", "/p/c.jpg", "/p/b.jpg", "/p/broken.jpg"])
    }

    @Test func csvQuotesAndKeepsTheReason() {
        let csv = PredictionOutput.csv(PredictionOutput.sorted(rows))
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "path,score,error")
        #expect(lines[1] == "\"/p/a, \"\"quoted\"\".jpg\",0.900000,")
        #expect(lines[4] == "/p/broken.jpg,,corrupt or unsupported image: x")
    }

    @Test func keepIntoLinksPhotosAboveTheThresholdOnceEvenOnARerun() throws {
        let temp = try TemporaryDirectory()
        var predictions: [Prediction] = []
        for (name, score) in [("x.jpg", 0.8), ("y.jpg", 0.3)] {
            let url = temp.url.appendingPathComponent("in/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("photo".utf8).write(to: url)
            predictions.append(Prediction(path: url.path, score: score, error: nil))
        }
        let keep = temp.url.appendingPathComponent("keep")
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: false) == 1)
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: false) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keep.path) == ["x.jpg"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: keep.appendingPathComponent("x.jpg").path)
            == predictions[0].path)
    }

    @Test func probabilityIsStableForLargeLogits() {
        #expect(Predictor.probability(0) == 0.5)
        #expect(Predictor.probability(100) == 1)
        #expect(Predictor.probability(-100) > 0 && Predictor.probability(-100) < 1e-40)
    }
}
