import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` for 0..<count on `threads` threads, each taking the next index
/// as it finishes the last (photos differ a lot in decode cost), and returns
/// the results in index order, so output does not depend on scheduling.
///
/// The threads are our own, not libdispatch's: `concurrentPerform` never
/// runs more iterations at once than there are cores, so a worker count
/// above the core count (ingest's extra worker, which decodes while another
/// waits for its fsync) would silently be one per core.
public func parallelMap<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let next = NextIndex()
    withoutActuallyEscaping(body) { body in
        let drain = WorkerBody {
            while true {
                let index = next.take()
                guard index < count else { return }
                slots.store(body(index), at: index)
            }
        }
        // Joined before this scope ends, so `body` does not outlive the call.
        let workers = (1..<max(1, min(threads, count))).compactMap { _ in drain.startThread() }
        drain.run()  // the calling thread is one of the workers
        for worker in workers { pthread_join(worker, nil) }
    }
    return slots.collect()
}

/// A worker's loop, run on the calling thread or on a thread of its own.
private final class WorkerBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }

    /// A new thread running the loop (8 MiB of stack, as the main thread's
    /// default), or nil when none can be made: the other workers then do its share.
    func startThread() -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, &attributes, { context in
            // Released before the thread ends, so joining it releases the loop.
            Unmanaged<WorkerBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context) == 0 else {
            Unmanaged<WorkerBody>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}

/// The next index to hand out, shared by the workers.
private final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

/// Write-once slots, one per index: each index is written by exactly one
/// thread, and read only after every worker has finished.
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

