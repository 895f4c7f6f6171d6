import KeepersCore
import Synchronization

/// Everything stages wrote through a context made here: for tests of what the user sees.
public final class Transcript: Sendable {
    private let written = Mutex("")

    public init() {}

    public var text: String { written.withLock { $0 } }

    public func context(_ style: StageContext.ProgressStyle,
                        now: @escaping @Sendable () -> Double = StageContext.monotonicSeconds) -> StageContext {
        StageContext(progressStyle: style, write: { text in self.written.withLock { $0 += text } }, now: now)
    }
}
