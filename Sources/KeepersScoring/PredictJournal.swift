import Foundation
import KeepersCore
import KeepersCulling
import KeepersGroups

/// What a predict run has scored so far, appended a chunk at a time, so a
/// run killed halfway through a library resumes without rescoring it
/// (docs/formats.md, "Predict journal"). It lives beside the CSV,
/// `<output>.partial.jsonl`, and is removed once the CSV is written.
///
/// Line 1 is a header whose `run` key hashes everything a photo's entry
/// depends on besides the photo (the model file's bytes, the thread count,
/// the file size limit, whether statistics and thumbnails are made, the
/// page folder); a journal with another key is started afresh. Each further
/// line is one photo: its path, size and modification time when scored, and
/// what scoring found. An entry is reused only while the file's size and
/// modification time still match, and its thumbnail (if any) still exists.
/// A line torn by a kill is cut off before appending.
final class PredictJournal {
    struct Header: Codable, Equatable {
        var format = "keepers-predict-journal"
        var version = 1
        var run: String
    }

    struct Entry: Codable {
        var path: String
        var size: Int64
        var mtimeNanoseconds: Int64
        var score: Double?
        var error: String?
        var captured: String?
        /// The visual signature's 32 x 32 cells, base64.
        var signature: String?
        var statistics: [Float]?
        var thumbnail: String?
        var thumbnailWidth: Int?
        var thumbnailHeight: Int?

        enum CodingKeys: String, CodingKey {
            case path, size, score, error, captured, signature, statistics, thumbnail
            case mtimeNanoseconds = "mtime_ns", thumbnailWidth = "thumbnail_width", thumbnailHeight = "thumbnail_height"
        }
    }

    let url: URL
    /// Entries read from an earlier, interrupted run with the same key, by path.
    private(set) var previous: [String: Entry] = [:]
    private let descriptor: Int32
    private let page: PageFolder?

    /// The journal for an output at `output`; `key` is `runKey(...)`.
    init(beside output: URL, key: String, page: PageFolder?) throws {
        url = output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".partial.jsonl")
        self.page = page
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.fault(url, "cannot open") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw KeepersError.io(path: url.path, reason: "another keepers-predict is writing this output; wait for it or stop it")
        }
        descriptor = fd
        let data = (try? Data(contentsOf: url)) ?? Data()
        // Only whole lines count: a kill can leave the last one torn.
        let whole = data.lastIndex(of: 0x0A).map { data[..<($0 + 1)] } ?? Data()
        let lines = whole.split(separator: 0x0A)
        let header = Header(run: key)
        let decoder = JSONDecoder()
        if let first = lines.first, (try? decoder.decode(Header.self, from: Data(first))) == header {
            for line in lines.dropFirst() {
                guard let entry = try? decoder.decode(Entry.self, from: Data(line)) else { continue }
                previous[entry.path] = entry
            }
            try truncate(to: whole.count)
        } else {
            try truncate(to: 0)
            try append([CanonicalJSON.encode(header)])
        }
    }

    deinit { close(descriptor) }

    /// Hashes what every entry depends on besides the photo itself.
    static func runKey(model: URL, threads: Int, maxFileBytes: Int, statistics: Bool, page: URL?) throws -> String {
        let modelBytes: Data
        do { modelBytes = try Data(contentsOf: model) } catch {
            throw KeepersError.io(path: model.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let settings = "threads \(threads)\nmax_file_bytes \(maxFileBytes)\nstatistics \(statistics)\npage \(page?.standardizedFileURL.path ?? "-")\n"
        return ContentHash.sha256(modelBytes + Data(settings.utf8))
    }

    /// The earlier run's prediction for `path`, if the file is unchanged since.
    func reusable(_ path: String) -> Prediction? {
        guard let entry = previous[path],
              FileSignature(path: BytePath(escaped: path).bytes) == FileSignature(size: entry.size, mtimeNanoseconds: entry.mtimeNanoseconds)
        else { return nil }
        let signature = entry.signature.flatMap(VisualSignature.init(base64:))
        // A damaged signature would leave the photo out of its burst: score it again.
        guard (signature == nil) == (entry.signature == nil) else { return nil }
        var prediction = Prediction(path: path, score: entry.score, error: entry.error,
                                    captured: entry.captured.flatMap(CaptureTime.init(text:)),
                                    signature: signature, statistics: entry.statistics)
        if let page, let name = entry.thumbnail, let width = entry.thumbnailWidth, let height = entry.thumbnailHeight {
            guard FileManager.default.fileExists(atPath: page.url.appendingPathComponent(name).path) else { return nil }
            prediction.thumbnail = PageThumbnail(name: name, width: width, height: height)
        } else if page != nil, entry.score != nil {
            return nil
        }
        return prediction
    }

    /// Appends scored photos and flushes them to disk. `signatures` are the
    /// files' size and modification time read before they were scored: a
    /// photo changed while being scored is scored again next time.
    func record(_ predictions: [Prediction], signatures: [FileSignature?]) throws {
        var lines: [Data] = []
        for (prediction, signature) in zip(predictions, signatures) {
            guard let signature else { continue }
            lines.append(CanonicalJSON.encode(Entry(
                path: prediction.path, size: signature.size, mtimeNanoseconds: signature.mtimeNanoseconds,
                score: prediction.score, error: prediction.error, captured: prediction.captured?.text,
                signature: prediction.signature?.base64,
                statistics: prediction.statistics, thumbnail: prediction.thumbnail?.name,
                thumbnailWidth: prediction.thumbnail?.width, thumbnailHeight: prediction.thumbnail?.height)))
        }
        try append(lines)
    }

    /// The run finished and its outputs are written: nothing left to resume.
    func finish() {
        unlink(url.path)
    }

    private func append(_ lines: [Data]) throws {
        guard !lines.isEmpty else { return }
        var data = Data()
        for line in lines { data.append(line); data.append(0x0A) }
        guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw Self.fault(url, "cannot seek") }
        do { try FileWriting.writeAll(data, to: descriptor, path: BytePath(bytes: Array(url.path.utf8))) } catch {
            throw EnvironmentFault(path: url.path, reason: "cannot write: \(BytePath.lastError())")
        }
        guard fsync(descriptor) == 0 else { throw Self.fault(url, "cannot flush") }
    }

    private func truncate(to length: Int) throws {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.fault(url, "cannot truncate") }
    }

    private static func fault(_ url: URL, _ what: String) -> EnvironmentFault {
        EnvironmentFault(path: url.path, reason: "\(what): \(BytePath.lastError())")
    }
}
