import Foundation

/// Running Python (h5py + numpy) from tests, to check that files Keepers
/// writes read correctly outside Swift, and that docs' examples run.
public enum Python {
    /// Debian's /usr/bin/python3 first (it has python3-h5py), then PATH's.
    public static func withH5py() -> String? {
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return (["/usr/bin/python3"] + onPath).first { candidate in
            FileManager.default.isExecutableFile(atPath: candidate)
                && (try? run(candidate, ["-c", "import h5py, numpy"]).status) == 0
        }
    }

    /// What a test says when `withH5py()` finds nothing: such tests must fail, not skip.
    public static let missingMessage = """
        no python3 that can `import h5py, numpy` (tried /usr/bin/python3 and every python3 on PATH); \
        install Debian's python3-h5py and python3-numpy
        """

    /// Runs a program to its end; returns its exit status and its output and errors together.
    public static func run(_ executable: String, _ arguments: [String],
                           in folder: URL = URL(fileURLWithPath: "/")) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// The first ```python block of a Markdown file, so a test can run the
    /// documented example and the documentation cannot drift from the code.
    public static func firstBlock(inMarkdown url: URL) throws -> String {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let start = text.range(of: "```python\n"), let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: "no ```python block"])
        }
        return String(text[start.upperBound..<end.lowerBound]) + "\n"
    }
}
