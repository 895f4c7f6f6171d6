import Foundation
import Synchronization

/// Progress of long work on standard error: on a terminal one line redrawn in
/// place (count, rate, ETA); otherwise (CI logs, files) a plain line at most
/// every `plainInterval` seconds, so logs stay short.
public final class Progress: Sendable {
    private struct State {
        var done = 0
        var lastPrint = 0.0
        var detail = ""
        var printedDone = -1
    }

    private let label: String
    private let total: Int
    private let unit: String
    private let start: Double
    private let isTerminal: Bool
    private let plainInterval: Double
    private let state = Mutex(State())

    public init(_ label: String, total: Int, unit: String = "items", plainInterval: Double = 30,
                isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.total = total
        self.unit = unit
        self.plainInterval = plainInterval
        self.isTerminal = isTerminal
        start = Self.now()
    }

    /// Counts `count` more items done and prints if it is time to.
    public func advance(by count: Int = 1, detail: String? = nil) {
        let line: String? = state.withLock { state in
            state.done += count
            if let detail { state.detail = detail }
            let now = Self.now()
            let interval = isTerminal ? 0.2 : plainInterval
            guard now - state.lastPrint >= interval || state.done == total else { return nil }
            state.lastPrint = now
            state.printedDone = state.done
            return render(done: state.done, elapsed: now - start, detail: state.detail)
        }
        if let line { emit(line) }
    }

    /// Ends the display with a final line.
    public func finish(_ summary: String? = nil) {
        let (done, printed) = state.withLock { ($0.done, $0.printedDone) }
        // A plain log already has the final count; don't repeat it.
        if !isTerminal, summary == nil, printed == done { return }
        let line = summary ?? render(done: done, elapsed: Self.now() - start, detail: "")
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K\(line)\n".utf8)) } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    func render(done: Int, elapsed: Double, detail: String) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label): \(done)/\(total) \(unit), \(String(format: "%.1f", rate))/s"
        if rate > 0, done < total {
            text += ", ETA \(Self.duration(Double(total - done) / rate))"
        }
        if !detail.isEmpty { text += ", \(detail)" }
        return text
    }

    private func emit(_ line: String) {
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
