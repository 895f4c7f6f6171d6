import Dispatch
import Synchronization

/// Runs `body` for 0..<count on `threads` threads, each taking the next index
/// as it finishes the last (photos differ a lot in decode cost), and returns
/// the results in index order, so output does not depend on scheduling.
public func parallelMap<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < count else { return }
            slots.store(body(index), at: index)
        }
    }
    return slots.collect()
}

/// Write-once slots, one per index: each index is written by exactly one
/// thread, and read only after concurrentPerform has returned.
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ value: T, at index: Int) { buffer[index] = value }
    func collect() -> [T] { buffer.map { $0! } }
}

/// Worker count for a configured value: 0 means one per core.
public func resolvedThreadCount(_ configured: Int) -> Int {
    configured > 0 ? configured : max(1, System.coreCount)
}

public enum System {
    public static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

#if canImport(Glibc)
import Glibc
#endif
