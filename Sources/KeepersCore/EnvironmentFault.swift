import Foundation

/// A failure of the machine rather than of the input: a full disk, an I/O
/// error, too many open files, a work directory that cannot be written, a
/// temporary file that vanished. It says nothing about the photo being
/// processed, so a stage that meets one stops (non-zero exit, this message)
/// and records nothing against the photo; the rerun after the cause is
/// fixed simply processes it.
public struct EnvironmentFault: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "\(path): \(reason) (a problem of this machine, not of the photo: fix it and run again; nothing was recorded against the photo)"
    }

    /// errno values that mean "the machine", not "this input file", when
    /// reading an input: I/O error, out of file descriptors or memory.
    public static func isTransientRead(_ code: Int32) -> Bool {
        [EIO, EMFILE, ENFILE, ENOMEM, ENOBUFS].contains(code)
    }
}
