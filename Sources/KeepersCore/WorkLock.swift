import Foundation
import Synchronization

/// One writer per work directory. Two runs on one config would delete each
/// other's temporary files, interleave the training log and overwrite each
/// other's checkpoints, so every stage (and predict when it writes) takes an
/// exclusive `flock` on `work/<config>/` itself. The kernel drops the lock
/// when the process ends, however it ends (kill -9 included), so a lock is
/// never stale. The holder's PID goes into `.lock-owner` only to name it in
/// the second run's message; the flock alone decides who holds the folder.
public final class WorkLock: Sendable {
    public let root: URL
    private let descriptor: Int32

    /// Locks `root` (created if missing) or throws at once, naming the holder.
    public init(_ root: URL, tool: String) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let fd = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw KeepersError.io(path: root.path, reason: "cannot open the work directory: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else {
                throw KeepersError.io(path: root.path, reason: "cannot lock the work directory: \(String(cString: strerror(code)))")
            }
            throw KeepersError.io(path: root.path, reason: "in use by \(Self.holder(root)): one run per work directory; wait for it to finish or stop it")
        }
        descriptor = fd
        self.root = root
        // Not atomic on purpose: it is a hint, and written only by the holder.
        try? Data("\(getpid()) \(tool)\n".utf8).write(to: Self.ownerFile(root))
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    static func ownerFile(_ root: URL) -> URL { root.appendingPathComponent(".lock-owner") }

    /// "process 1234 (keepers-train)", as far as the owner file tells.
    static func holder(_ root: URL) -> String {
        guard let text = try? String(contentsOf: ownerFile(root), encoding: .utf8),
              let first = text.split(whereSeparator: \.isWhitespace).first, let pid = Int32(first) else {
            return "another process"
        }
        let tool = text.split(whereSeparator: \.isWhitespace).dropFirst().first.map { " (\($0))" } ?? ""
        return "process \(pid)\(tool)"
    }

    /// Held until the process exits: the stages' executables call this once.
    public static func holdForProcess(_ root: URL, tool: String) throws {
        let lock = try WorkLock(root, tool: tool)
        held.withLock { $0.append(lock) }
    }

    private static let held = Mutex<[WorkLock]>([])
}
