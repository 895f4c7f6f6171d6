import Foundation
import KeepersCore
import KeepersImaging
import KeepersModel
import KeepersNetwork
import KeepersScoring
import KeepersTestSupport
import Testing
@testable import KeepersCulling

/// A small predict run with `--page`, its page rendered by headless
/// Chromium (`--dump-dom`: the DOM after the page's script ran), checked by
/// e2e/fixtures/check-page-dom.py against the CSV: every photo once,
/// bursts as rows, no broken image, no markup from a hostile file name.
/// Nothing here waits on a clock: Chromium dumps once the page has loaded.
@Suite struct PageInChromiumTests {
    static let width = 96

    static func chromium() -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (["/usr/bin"] + path).flatMap { ["\($0)/chromium", "\($0)/chromium-browser"] }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func everyPhotoOnceBurstsAsRowsAndNoBrokenImage() throws {
        let chromium = try #require(Self.chromium(), "no chromium on PATH: `make deps` installs Debian's chromium")
        let python = try #require(Python.withH5py(), "\(Python.missingMessage)")
        let temp = try TemporaryDirectory(prefix: "keepers-page")
        let photos = temp.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        let scenes: [(String, RGBImage)] = [
            ("a1.jpg", Fixtures.scene(seed: 1, width: 240, height: 160)),
            ("a2.jpg", Fixtures.scene(seed: 1, width: 240, height: 160, dx: 4)),
            ("a3.jpg", Fixtures.scene(seed: 1, width: 240, height: 160, dx: 8)),
            ("b1.jpg", Fixtures.scene(seed: 2, width: 240, height: 160)),
            ("b2.jpg", Fixtures.scene(seed: 2, width: 240, height: 160, dx: 5)),
            ("c.jpg", Fixtures.scene(seed: 3, width: 240, height: 160)),
            ("d.jpg", Fixtures.scene(seed: 4, width: 240, height: 160)),
            ("dark.jpg", Fixtures.scene(seed: 5, width: 240, height: 160, gain: 0.25)),
            // A hostile name: quotes and markup, no slash (file names cannot hold one).
            ("x\"><b>bold<script>alert(1)<img src=y onerror=alert(2)>'.jpg", Fixtures.scene(seed: 6, width: 240, height: 160)),
        ]
        for (name, image) in scenes { try PhotoEncoder.encode(image, as: .jpeg).write(to: photos.appendingPathComponent(name)) }
        try Data("not a photo".utf8).write(to: photos.appendingPathComponent("broken.jpg"))
        let model = temp.url.appendingPathComponent("model.h5")
        try RandomModel.write(to: model, width: Self.width, good: (7..<15).map { Fixtures.scene(seed: $0, width: 240, height: 160) })

        var run = PredictRun(model: model, photos: [photos.path])
        run.output = temp.url.appendingPathComponent("predict.csv")
        run.page = temp.url.appendingPathComponent("page")
        run.threshold = 1  // every photo below it, so every photo has reasons
        run.threads = 2
        try run.run(context: .quiet)
        let csv = try String(contentsOf: run.output!, encoding: .utf8)
        #expect(csv.hasPrefix("path,score,group,rank,error,logit,reasons\r\n"))
        #expect(csv.contains("dark.jpg,") && csv.components(separatedBy: "\r\n").first { $0.contains("dark.jpg") }!.contains("too dark"))

        let dom = temp.url.appendingPathComponent("dom.html")
        #expect(FileManager.default.createFile(atPath: dom.path, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--user-data-dir=\(temp.url.appendingPathComponent("chromium").path)", "--dump-dom",
                             run.page!.appendingPathComponent("index.html").absoluteString]
        process.standardOutput = try FileHandle(forWritingTo: dom)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let checker = RawFixtures.repository.appendingPathComponent("e2e/fixtures/check-page-dom.py").path
        let check = try Python.run(python, [checker, run.output!.path, dom.path, run.page!.path])
        #expect(check.status == 0, "\(check.output)")
        let summary = try JSONDecoder().decode([String: AnyCodable].self, from: Data(check.output.utf8))
        #expect(summary["photos"]?.int == 10 && summary["tiles"]?.int == 10)
        #expect((summary["bursts"]?.int ?? 0) >= 1, "no burst on the page: \(check.output)")
        #expect(summary["images"]?.int == 9)
    }

    /// Just the numbers of the checker's JSON summary.
    struct AnyCodable: Decodable {
        let int: Int?
        init(from decoder: any Decoder) throws { int = try? decoder.singleValueContainer().decode(Int.self) }
    }
}
