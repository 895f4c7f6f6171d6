internal import CHDF5
import Foundation

/// Process-wide HDF5 state. Every call into libhdf5, from any thread, runs
/// under one lock: HDF5 is only safe across threads when built with
/// --enable-threadsafe, and Keepers must not depend on how a distribution
/// built it. The lock is recursive because a handle may be released (and so
/// closed) while its owner already holds the lock.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    private static let started: Bool = H5open() >= 0

    /// Runs `body` with exclusive use of the HDF5 library.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        precondition(started, "the HDF5 library failed to initialise")
        // Turn off HDF5's printing of error stacks to stderr; errors are read
        // from the stack and thrown instead. Done on every call because a
        // thread-safe build (Debian's 1.10.8 is one, whatever its reputation)
        // keeps this setting per thread; it costs well under a microsecond.
        H5Eset_auto2(kh5_e_default(), nil, nil)
        return try body()
    }

    /// The current error stack as one line (outermost call first), then
    /// cleared so that the next failure starts from an empty stack.
    static func takeErrorStack() -> String {
        final class Lines { var items: [String] = [] }
        let lines = Lines()
        withExtendedLifetime(lines) {
            _ = H5Ewalk2(kh5_e_default(), H5E_WALK_DOWNWARD, { _, error, client in
                guard let error, let client else { return 0 }
                let lines = Unmanaged<Lines>.fromOpaque(client).takeUnretainedValue()
                let function = error.pointee.func_name.map { String(cString: $0) } ?? "?"
                let description = error.pointee.desc.map { String(cString: $0) } ?? ""
                let minor = HDF5Library.message(error.pointee.min_num)
                lines.items.append("\(function): \(description)" + (minor.isEmpty ? "" : " (\(minor))"))
                return 0
            }, Unmanaged.passUnretained(lines).toOpaque())
        }
        H5Eclear2(kh5_e_default())
        return lines.items.isEmpty ? "no HDF5 error message" : lines.items.joined(separator: "; ")
    }

    private static func message(_ id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        var type = H5E_MINOR
        guard H5Eget_msg(id, &type, &buffer, buffer.count) > 0 else { return "" }
        return string(fromC: buffer)
    }
}

/// A failed HDF5 call: the file, the object inside it, what was being done,
/// and HDF5's own error stack.
public struct HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let object: String
    public let operation: String
    public let stack: String

    public var description: String { object.isEmpty ? "\(path): \(messageWithoutPath)" : "\(path) \(messageWithoutPath)" }

    /// The description without the file path, for callers that print it already.
    public var messageWithoutPath: String {
        let what = stack.isEmpty ? operation : "\(operation) failed: \(stack)"
        return object.isEmpty ? what : "\(object): \(what)"
    }
}

/// Where a call happens, so that its failure can name the file and object.
struct HDF5Place: Sendable {
    let path: String
    let object: String

    /// Throws with HDF5's error stack if a status or identifier is negative.
    @discardableResult
    func check<T: BinaryInteger>(_ result: T, _ operation: @autoclosure () -> String) throws -> T {
        guard result >= 0 else {
            throw HDF5Error(path: path, object: object, operation: operation(), stack: HDF5Library.takeErrorStack())
        }
        return result
    }

    /// An error that did not come from the library (wrong type, wrong shape).
    func fail(_ message: String) -> HDF5Error {
        HDF5Error(path: path, object: object, operation: message, stack: "")
    }

    func child(_ name: String) -> HDF5Place {
        HDF5Place(path: path, object: object == "/" || object.isEmpty ? "/\(name)" : "\(object)/\(name)")
    }
}

/// An HDF5 identifier closed by `deinit`, so that no C handle outlives its
/// Swift owner. `@unchecked Sendable`: the identifier is only read or changed
/// under `HDF5Library.locked`.
final class HDF5Handle: @unchecked Sendable {
    private(set) var id: hid_t
    private let closer: (hid_t) -> herr_t

    init(_ id: hid_t, closer: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.closer = closer
    }

    /// True while the identifier is open (closing its file closes it too).
    var isOpen: Bool { id >= 0 && H5Iis_valid(id) > 0 }

    /// Closes now and reports failure; later calls do nothing.
    func close(_ place: HDF5Place) throws {
        guard isOpen else { return }
        defer { id = -1 }
        try place.check(closer(id), "close")
    }

    deinit {
        HDF5Library.locked {
            if isOpen { _ = closer(id) }
            H5Eclear2(kh5_e_default())
        }
    }
}

/// Runs `body` with a new HDF5 object (a property list, dataspace, type or
/// attribute) that is closed afterwards whatever happens. Closing these
/// in-memory objects fails only for an invalid identifier, which `check`
/// has already ruled out, so its status is not examined.
@discardableResult
func withTemporary<T>(_ id: hid_t, _ place: HDF5Place, _ what: String, close: (hid_t) -> herr_t,
                      _ body: (hid_t) throws -> T) throws -> T {
    try place.check(id, what)
    defer { _ = close(id) }
    return try body(id)
}

/// The text of a NUL-terminated C character buffer.
func string(fromC buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
