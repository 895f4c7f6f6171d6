import Foundation

/// A fresh folder under the system temporary directory, removed on deinit.
/// Used by tests and benchmarks.
public final class TemporaryDirectory {
    public let url: URL

    public init(prefix: String = "keepers") throws {
        var template = Array(FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw KeepersError.io(path: FileManager.default.temporaryDirectory.path, reason: "mkdtemp failed")
        }
        url = URL(fileURLWithPath: String(cString: made))
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
