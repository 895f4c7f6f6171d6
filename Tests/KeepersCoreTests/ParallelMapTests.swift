import Foundation
import KeepersCore
import Synchronization
import Testing

@Suite struct ParallelMapTests {
    @Test func resultsComeBackInIndexOrder() {
        let squares = parallelMap(count: 1000, threads: 3) { $0 * $0 }
        #expect(squares == (0..<1000).map { $0 * $0 })
    }

    /// More workers than cores must all run at once: ingest's extra worker
    /// exists to decode while another waits for the disk. Every body waits
    /// until all have started; with one worker per core they never would.
    @Test func runsMoreWorkersThanCoresAtOnce() {
        let workers = System.coreCount + 2
        let started = Atomic<Int>(0)
        let allMet = parallelMap(count: workers, threads: workers) { _ -> Bool in
            started.add(1, ordering: .relaxed)
            let deadline = Date().addingTimeInterval(30)
            while started.load(ordering: .relaxed) < workers {
                if Date() > deadline { return false }
                usleep(1000)
            }
            return true
        }
        #expect(allMet == Array(repeating: true, count: workers))
    }
}
