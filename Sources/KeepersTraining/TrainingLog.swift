import Foundation
import KeepersCore

/// `train/log.jsonl` while training runs: rows are appended as they are
/// made. The rows so far also travel in every checkpoint, so a resumed run
/// rewrites the file from them and its log is the uninterrupted run's.
struct TrainingLogFile {
    let url: URL

    /// Replaces the file with exactly `lines` (atomically), unless it holds
    /// them already: an unchanged file keeps its time stamp for make.
    func rewrite(_ lines: [String]) throws {
        let data = Data(lines.map { $0 + "\n" }.joined().utf8)
        if (try? Data(contentsOf: url)) != data { try AtomicFile.write(data, to: url) }
    }

    /// Adds one line. A crash mid-write can leave a torn last line; the next
    /// run rewrites the file from its checkpoint, so that does no harm.
    func append(_ line: String) throws {
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw KeepersError.io(path: url.path, reason: "cannot open the training log for appending")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw KeepersError.io(path: url.path, reason: "cannot append: \(error.localizedDescription)")
        }
    }
}
