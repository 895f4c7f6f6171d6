import Foundation
import Synchronization

/// Progress of long work (count, rate, ETA), shown in the style of the
/// stage's context: redrawn in place, a plain line at most every
/// `plainInterval` seconds, or not at all. Made by `StageContext.progress`.
public final class Progress: Sendable {
    private struct State {
        var done = 0
        var lastPrint = -Double.infinity  // the first update always shows
        var detail = ""
        var printedDone = -1
    }

    private let label: String
    private let total: Int
    private let unit: String
    private let start: Double
    private let context: StageContext
    private let state = Mutex(State())
    static let plainInterval = 30.0
    private var isTerminal: Bool { context.progressStyle == .redrawn }

    init(_ label: String, total: Int, unit: String, context: StageContext) {
        self.label = label
        self.total = total
        self.unit = unit
        self.context = context
        start = context.now()
    }

    /// Counts `count` more items done and prints if it is time to.
    public func advance(by count: Int = 1, detail: String? = nil) {
        guard context.progressStyle != .silent else { return }
        let line: String? = state.withLock { state in
            state.done += count
            if let detail { state.detail = detail }
            let now = context.now()
            let interval = isTerminal ? 0.2 : Self.plainInterval
            guard now - state.lastPrint >= interval || state.done == total else { return nil }
            state.lastPrint = now
            state.printedDone = state.done
            return render(done: state.done, elapsed: now - start, detail: state.detail)
        }
        if let line { emit(line) }
    }

    /// Ends the display with a final line.
    public func finish(_ summary: String? = nil) {
        guard context.progressStyle != .silent else { return }
        let (done, printed) = state.withLock { ($0.done, $0.printedDone) }
        // A plain log already has the final count; don't repeat it.
        if !isTerminal, summary == nil, printed == done { return }
        context.say(summary ?? render(done: done, elapsed: context.now() - start, detail: ""))
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

    /// On a terminal the line stays open, to be redrawn by the next update.
    private func emit(_ line: String) {
        if isTerminal { context.write(StageContext.clearLine + line) } else { context.say(line) }
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
