import Foundation

/// A file system path as the bytes the kernel sees. Foundation's URL and
/// FileManager take paths as Swift Strings, which cannot hold a name that is
/// not valid UTF-8 (a Latin-1 `café.jpg` from an old archive): such a name
/// comes back mangled and a link or copy made through them points nowhere.
/// Photos and their sidecars are therefore opened, linked and written through
/// this type, from the reversible escaped text the rest of Keepers carries
/// (`PathEscaping`).
public struct BytePath: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// From escaped text (`PathEscaping.text(of:)`, or plain UTF-8 text).
    public init(escaped text: String) { bytes = PathEscaping.bytes(of: text) }

    /// As escaped text, for messages, CSVs and URLs.
    public var text: String { PathEscaping.text(of: bytes) }
    public var description: String { text }

    /// The last component's bytes (the whole path when it has no slash).
    public var lastComponent: [UInt8] {
        guard let slash = bytes.lastIndex(of: 0x2F) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// The folder holding the last component ("." when there is none).
    public var parent: BytePath {
        guard let slash = bytes.lastIndex(of: 0x2F) else { return BytePath(bytes: [0x2E]) }
        return BytePath(bytes: slash == 0 ? [0x2F] : Array(bytes[..<slash]))
    }

    public func appending(_ name: [UInt8]) -> BytePath {
        BytePath(bytes: bytes.last == 0x2F ? bytes + name : bytes + [0x2F] + name)
    }

    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// lstat(2): nil when the name does not exist (or cannot be examined).
    public func linkStatus() -> stat? {
        var info = stat()
        return withCString { lstat($0, &info) } == 0 ? info : nil
    }

    /// The target a symbolic link holds, as bytes; nil when it is not a link.
    public func linkTarget() -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = withCString { readlink($0, &buffer, buffer.count - 1) }
        guard count >= 0 else { return nil }
        return buffer[..<count].map { UInt8(bitPattern: $0) }
    }

    /// A name beside this one, in the same folder (so rename is atomic),
    /// that no other writer uses and that cleanup tools recognise as
    /// temporary (`AtomicFile.removeStaleTemporaries`).
    public func temporarySibling() -> BytePath {
        parent.appending([0x2E] + lastComponent + Array(AtomicFile.temporarySuffix().utf8))
    }

    /// The message of the current errno.
    public static func lastError() -> String { String(cString: strerror(errno)) }
}
