import Foundation
import Synchronization

/// SIGTERM and SIGINT ask the trainer to stop after the step in flight,
/// save a checkpoint and return `.stopped` (keepers-train then exits 0).
/// A second signal of either kind ends the process at once, for someone who
/// really means it.
public enum StopSignals {
    private static let received = Atomic<Bool>(false)

    public static func install() {
        _ = requested  // initialise the lazy static now, not inside a handler
        // A parent may start us with them blocked (a child of Foundation's
        // Process is), which would hold the signal until exit. Unblocked
        // here, before oneDNN starts its threads, which inherit the mask.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGTERM, SIGINT] {
            sigaddset(&unblock, signal)
            // Only async-signal-safe work in the handler: one atomic exchange, or the default action.
            Foundation.signal(signal) { number in
                if StopSignals.received.exchange(true, ordering: .relaxed) {
                    Foundation.signal(number, SIG_DFL)
                    raise(number)
                }
            }
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    public static var requested: Bool { received.load(ordering: .relaxed) }
}
