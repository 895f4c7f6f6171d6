import Foundation

/// Size and modification time of a file, the cheap signature of "unchanged":
/// ingest and predict reuse what they computed for a file while it holds.
public struct FileSignature: Equatable, Sendable {
    public var size: Int64
    public var mtimeNanoseconds: Int64

    public init(size: Int64, mtimeNanoseconds: Int64) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
    }

    /// Nil when the file cannot be stat'ed.
    public init?(path: [UInt8]) {
        var info = stat()
        guard BytePath(bytes: path).withCString({ stat($0, &info) }) == 0 else { return nil }
        size = Int64(info.st_size)
        mtimeNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
