import Foundation

/// Everything a stage shows the user or reads from the world around it:
/// messages, progress, the clock and stop requests. Each executable builds
/// one (`standardError()`) and hands it to its stage; tests pass their own
/// to see or silence what a stage says.
public struct StageContext: Sendable {
    public enum ProgressStyle: Sendable {
        /// One line redrawn in place: a person is watching a terminal.
        case redrawn
        /// A plain line at most every `Progress.plainInterval` seconds, so CI logs and files stay short.
        case logged
        /// No progress at all.
        case silent
    }

    public var progressStyle: ProgressStyle
    /// Writes text exactly as given; messages and progress share it so a
    /// message can clear the progress line first.
    public var write: @Sendable (String) -> Void
    /// Seconds on a clock that only moves forward.
    public var now: @Sendable () -> Double
    /// Polled between units of work; true asks the stage to stop cleanly (SIGTERM, SIGINT).
    public var stopRequested: @Sendable () -> Bool

    public init(progressStyle: ProgressStyle, write: @escaping @Sendable (String) -> Void,
                now: @escaping @Sendable () -> Double = StageContext.monotonicSeconds,
                stopRequested: @escaping @Sendable () -> Bool = { false }) {
        self.progressStyle = progressStyle
        self.write = write
        self.now = now
        self.stopRequested = stopRequested
    }

    /// Standard error. Progress is redrawn only on a terminal outside CI (a
    /// CI log shown as a terminal would fill with redraws), else logged.
    public static func standardError(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     stopRequested: @escaping @Sendable () -> Bool = { false }) -> StageContext {
        let redraw = isatty(STDERR_FILENO) != 0 && environment["CI"] == nil
        return StageContext(progressStyle: redraw ? .redrawn : .logged,
                            write: { FileHandle.standardError.write(Data($0.utf8)) }, stopRequested: stopRequested)
    }

    /// Says nothing and shows no progress: for callers that want only the result.
    public static let quiet = StageContext(progressStyle: .silent, write: { _ in })

    /// A line for the user. A progress line being redrawn is cleared first;
    /// its next update draws it again below.
    public func say(_ line: String) {
        write((progressStyle == .redrawn ? Self.clearLine : "") + line + "\n")
    }

    /// Progress of `total` units of work, shown in this context's style.
    public func progress(_ label: String, total: Int, unit: String = "items") -> Progress {
        Progress(label, total: total, unit: unit, context: self)
    }

    /// Carriage return and "erase to end of line".
    static let clearLine = "\r\u{1B}[K"

    @Sendable public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
