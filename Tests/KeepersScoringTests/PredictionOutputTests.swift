import Foundation
import KeepersCore
import KeepersTestSupport
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
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "path,score,group,rank,error,logit,reasons")
        #expect(lines[1] == "\"/p/a, \"\"quoted\"\".jpg\",0.900000,,,,2.19722458,")
        #expect(lines[4] == "/p/broken.jpg,,,,corrupt or unsupported image: x,,")
    }

    @Test func csvReasonsColumnJoinsTheReasonsStrongestFirst() {
        var photo = Prediction(path: "/p/d.jpg", score: 0.1, error: nil)
        photo.reasons = [.dark, .noisy]
        let lines = PredictionOutput.csv([photo]).components(separatedBy: "\r\n")
        #expect(lines[1] == "/p/d.jpg,0.100000,,,,-2.19722458,too dark; noisy")
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

    /// A name with CR LF (one Swift Character), a comma and a quote: the
    /// CSV must read back through Python's csv module unchanged.
    @Test func csvRoundTripsAwkwardNamesThroughPythonsCSVModule() throws {
        let awkward = ["/p/a\r\nb.jpg", "/p/c,d.jpg", "/p/e\"f.jpg", "/p/g\rh.jpg", "/p/plain.jpg"]
        let temp = try TemporaryDirectory()
        let url = temp.url.appendingPathComponent("predict.csv")
        try AtomicFile.write(PredictionOutput.csv(awkward.map { Prediction(path: $0, score: 0.5, error: nil) }), to: url)
        let script = "import csv, json, sys; print(json.dumps([r[0] for r in csv.reader(open(sys.argv[1], newline=''))]))"
        let run = try Python.run("/usr/bin/python3", ["-c", script, url.path])
        #expect(run.status == 0, "\(run.output)")
        let paths = try JSONDecoder().decode([String].self, from: Data(run.output.utf8))
        #expect(paths == ["path"] + awkward)
    }

    func photos(_ names: [String], in temp: TemporaryDirectory) throws -> [Prediction] {
        try names.enumerated().map { index, name in
            let url = temp.url.appendingPathComponent("in/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("photo \(index)".utf8).write(to: url)
            return Prediction(path: url.path, score: 0.9, error: nil)
        }
    }

    func isLink(_ url: URL) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil
    }

    @Test func copyReplacesEarlierLinksWithRealFilesAndIsIdempotent() throws {
        let temp = try TemporaryDirectory()
        let predictions = try photos(["x.jpg", "README"], in: temp)
        let keep = temp.url.appendingPathComponent("keep")
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: false) == 2)
        #expect(isLink(keep.appendingPathComponent("x.jpg")))
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: true) == 2)
        #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: true) == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keep.path).sorted() == ["README", "x.jpg"])
        #expect(!isLink(keep.appendingPathComponent("x.jpg")) && !isLink(keep.appendingPathComponent("README")))
        // Real copies: the originals can go.
        try FileManager.default.removeItem(at: temp.url.appendingPathComponent("in"))
        #expect(try Data(contentsOf: keep.appendingPathComponent("x.jpg")) == Data("photo 0".utf8))
        #expect(try Data(contentsOf: keep.appendingPathComponent("README")) == Data("photo 1".utf8))
    }

    @Test func takenNamesMoveOnAndNamesWithoutExtensionGetAPlainSuffix() throws {
        let temp = try TemporaryDirectory()
        let predictions = try photos(["x.jpg", "README"], in: temp)
        let keep = temp.url.appendingPathComponent("keep")
        try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true)
        try Data("someone else's".utf8).write(to: keep.appendingPathComponent("x.jpg"))
        try Data("someone else's".utf8).write(to: keep.appendingPathComponent("README"))
        for _ in 0..<2 { #expect(try PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: true) == 2) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: keep.path).sorted() == ["README", "README-1", "x-1.jpg", "x.jpg"])
        #expect(try Data(contentsOf: keep.appendingPathComponent("x.jpg")) == Data("someone else's".utf8))
        #expect(try Data(contentsOf: keep.appendingPathComponent("x-1.jpg")) == Data("photo 0".utf8))
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: keep.path).allSatisfy { !$0.hasPrefix(".") })
    }

    /// Several processes keeping into one folder at once: every photo ends
    /// up there exactly once, and no run fails on a name another one took.
    @Test func concurrentKeepersDoNotFailOrDuplicate() throws {
        let temp = try TemporaryDirectory()
        let predictions = try photos((0..<20).map { "p\($0)/same.jpg" }, in: temp)
        let keep = temp.url.appendingPathComponent("keep")
        let failures = parallelMap(count: 4, threads: 4) { _ in
            (try? PredictionOutput.keep(predictions, threshold: 0.5, into: keep, copy: true)) == nil ? 1 : 0
        }
        #expect(failures.reduce(0, +) == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: keep.path).filter { !$0.hasPrefix(".") }
        let contents = Set(try names.map { try Data(contentsOf: keep.appendingPathComponent($0)) })
        #expect(contents.count == 20 && names.count == 20, "\(names.sorted())")
    }

    /// predict's file list names a Latin-1 file reversibly, and reads it
    /// back by that name (what `Predictor.score` does with each path).
    @Test func predictListsAndOpensNonUTF8Names() throws {
        let temp = try TemporaryDirectory()
        let name = Array(temp.url.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".jpg".utf8)
        let fd = (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(fd >= 0)
        _ = Array("latin-1".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let files = try PhotoList.expand([temp.url.path])
        #expect(files.map(\.path) == [temp.url.path + "/caf\\xe9.jpg"])
        #expect(try PhotoBytes.read(files[0].path, maxBytes: 100) == Data("latin-1".utf8))
    }

    @Test func probabilityIsStableForLargeLogits() {
        #expect(Predictor.probability(0) == 0.5)
        #expect(Predictor.probability(100) == 1)
        #expect(Predictor.probability(-100) > 0 && Predictor.probability(-100) < 1e-40)
    }
    /// Scores that 6 decimals print alike (confident verdicts) differ in the logit column.
    @Test func confidentScoresDifferInTheLogitColumn() {
        let scores = [1 / (1 + exp(-20.0)), 1 / (1 + exp(-21.0)), 1 / (1 + exp(20.0)), 1 / (1 + exp(21.0))]
        let texts = scores.map(PredictionOutput.logitText)
        #expect(Set(scores.map { String(format: "%.6f", $0) }).count == 2)
        #expect(Set(texts).count == 4)
        #expect(texts.map { Double($0)!.rounded() } == [20, 21, -20, -21])
    }
}
