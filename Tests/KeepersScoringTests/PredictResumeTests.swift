import Foundation
import KeepersCore
import KeepersCulling
import KeepersImaging
import KeepersModel
import KeepersNetwork
import KeepersTestSupport
import Testing
@testable import KeepersScoring

/// A predict run that stops halfway (killed) resumes from its journal: the
/// photos it scored are not scored again, and the CSV and page come out
/// exactly as an uninterrupted run writes them.
@Suite struct PredictResumeTests {
    static let width = 64

    struct Library {
        let temp: TemporaryDirectory
        var photos: URL { temp.url.appendingPathComponent("photos") }
        var model: URL { temp.url.appendingPathComponent("model.h5") }

        /// 80 photos of three sizes (bursts among them) and one broken file.
        init() throws {
            temp = try TemporaryDirectory(prefix: "keepers-resume")
            try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("photos"), withIntermediateDirectories: true)
            for i in 0..<80 {
                let image = Fixtures.scene(seed: i / 3, width: 120 + 40 * (i % 3), height: 80, dx: Double(i % 3) * 3,
                                           gain: 0.4 + Double(i % 7) * 0.15)
                try PhotoEncoder.encode(image, as: .jpeg).write(to: photos.appendingPathComponent(String(format: "p%03d.jpg", i)))
            }
            try Data("not a photo".utf8).write(to: photos.appendingPathComponent("p040-broken.jpg"))
            try RandomModel.write(to: model, width: PredictResumeTests.width,
                                      good: (0..<6).map { Fixtures.scene(seed: 100 + $0, width: 120, height: 80) }, seed: 3)
        }

        func run(output name: String, page: String, threads: Int = 2) throws -> PredictRun {
            var run = PredictRun(model: model, photos: [photos.path])
            run.output = temp.url.appendingPathComponent(name)
            run.page = temp.url.appendingPathComponent(page, isDirectory: true)
            run.threshold = 0.6
            run.threads = threads
            return run
        }

        /// What a run killed after its first chunk leaves: the journal of
        /// that chunk and half a line. Made as `PredictRun` makes it.
        func interrupted(_ run: PredictRun) throws -> (journal: URL, firstChunk: [URL]) {
            let (network, metadata) = try ModelFile.load(run.model, threads: run.threads)
            let predictor = try Predictor(network: network, imageSettings: metadata.preprocessing,
                                          maxPixels: metadata.maxPixels, threads: run.threads)
            predictor.computeStatistics = true
            let folder = try run.page.map(PageFolder.init)
            predictor.page = folder
            let files = try PhotoList.expand(run.photos)
            let firstChunk = Array(files.prefix(predictor.chunkSize))
            #expect(files.count > firstChunk.count)
            let key = try PredictJournal.runKey(model: run.model, threads: run.threads, maxFileBytes: run.maxFileBytes,
                                                statistics: true, page: run.page)
            let journal = try PredictJournal(beside: run.output!, key: key, page: folder)
            _ = try predictor.score(firstChunk, context: .quiet, journal: journal)
            let url = journal.url
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"path\":\"\(files.last!.path)\",\"si".utf8))
            try handle.close()
            return (url, firstChunk)
        }
    }

    @Test func aKilledRunResumesWithoutRescoringAndWritesWhatAnUninterruptedRunWrites() throws {
        let library = try Library()
        let whole = try library.run(output: "whole.csv", page: "whole-page")
        try whole.run(context: .quiet)
        #expect(!FileManager.default.fileExists(atPath: whole.output!.path + ".partial.jsonl"), "a finished run leaves no journal")

        let resumed = try library.run(output: "resumed.csv", page: "resumed-page")
        let (journal, firstChunk) = try library.interrupted(resumed)
        // A photo of the first chunk overwritten with zeros, its size and
        // modification time kept: scoring it again would give an error, the
        // journal gives its score.
        let unreadable = firstChunk[10].path
        var info = stat()
        #expect(stat(unreadable, &info) == 0)
        try Data(count: Int(info.st_size)).write(to: firstChunk[10])
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, unreadable, &times, 0) == 0)
        let transcript = Transcript()
        try resumed.run(context: transcript.context(.silent))
        #expect(transcript.text.contains("resuming: 64 of 81 photos already scored"))
        #expect(!FileManager.default.fileExists(atPath: journal.path))

        let wholeCSV = try String(contentsOf: whole.output!, encoding: .utf8)
        let resumedCSV = try String(contentsOf: resumed.output!, encoding: .utf8)
        #expect(resumedCSV == wholeCSV)
        #expect(wholeCSV.components(separatedBy: "\r\n").contains { $0.hasPrefix(unreadable + ",0.") })
        #expect(wholeCSV.contains("p040-broken.jpg,,,,"))
        // The pages differ only in their own folder's name (none is shown), so their HTML is the same.
        let wholePage = try String(contentsOf: whole.page!.appendingPathComponent("index.html"), encoding: .utf8)
        let resumedPage = try String(contentsOf: resumed.page!.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(resumedPage == wholePage)
    }

    @Test func aChangedPhotoOrAnotherRunIsScoredAfresh() throws {
        let library = try Library()
        let run = try library.run(output: "scores.csv", page: "page")
        let (journal, firstChunk) = try library.interrupted(run)
        // Rewritten with other pixels since: its entry no longer holds.
        let changed = firstChunk[5]
        let other = Fixtures.scene(seed: 99, width: 120, height: 80)
        try PhotoEncoder.encode(other, as: .jpeg).write(to: changed)
        do {
            let reading = try PredictJournal(beside: run.output!, key: PredictJournal.runKey(
                model: run.model, threads: run.threads, maxFileBytes: run.maxFileBytes, statistics: true, page: run.page),
                                             page: try run.page.map(PageFolder.init))
            #expect(reading.previous.count == 64, "the torn line is dropped")
            #expect(reading.reusable(firstChunk[4].path) != nil)
            #expect(reading.reusable(changed.path) == nil)
        }

        // Another thread count is another run: its journal starts empty.
        let otherKey = try PredictJournal.runKey(model: run.model, threads: 1, maxFileBytes: run.maxFileBytes,
                                                 statistics: true, page: run.page)
        let fresh = try PredictJournal(beside: run.output!, key: otherKey, page: nil)
        #expect(fresh.previous.isEmpty)
        #expect(try Data(contentsOf: journal).split(separator: 0x0A).count == 1, "only the new header is left")
    }

    @Test func aSecondRunOnTheSameOutputIsRefused() throws {
        let library = try Library()
        let run = try library.run(output: "scores.csv", page: "page")
        let key = try PredictJournal.runKey(model: run.model, threads: 2, maxFileBytes: run.maxFileBytes, statistics: true, page: nil)
        let first = try PredictJournal(beside: run.output!, key: key, page: nil)
        #expect(throws: KeepersError.self) { _ = try PredictJournal(beside: run.output!, key: key, page: nil) }
        _ = first
    }
}
