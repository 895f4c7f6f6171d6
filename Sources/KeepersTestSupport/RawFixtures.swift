import Foundation

/// Real photographs and camera-like RAW files made from them, for the RAW
/// and XMP tests. The photos are scikit-image's sample photographs (public
/// domain or CC0, shipped inside its wheel: nothing is downloaded besides
/// the wheel); pidng writes the DNGs (e2e/fixtures/make-dng.py). Both live
/// in a Python venv under .build/, made once (e2e/fixtures/venv.sh).
public enum RawFixtures {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The venv's python; e2e/fixtures/venv.sh creates the venv (pip,
    /// from PyPI) on first use, one caller at a time.
    public static func python() throws -> String {
        let script = repository.appendingPathComponent("e2e/fixtures/venv.sh").path
        let run = try Python.run("/bin/bash", [script])
        guard run.status == 0, let python = run.output.split(separator: "\n").last else {
            throw fixtureError("\(script) failed: \(run.output)")
        }
        return String(python)
    }

    /// One of scikit-image's photographs: "coffee" (600x400), "chelsea" (451x300), "astronaut" (512x512).
    public static func photo(_ name: String) throws -> URL {
        let python = try python()
        let run = try Python.run(python, ["-c", "import importlib.util, os; "
            + "print(os.path.join(os.path.dirname(importlib.util.find_spec('skimage').origin), 'data'))"])
        guard run.status == 0 else { throw fixtureError("cannot find scikit-image's data: \(run.output)") }
        let url = URL(fileURLWithPath: run.output.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("\(name).png")
        guard FileManager.default.fileExists(atPath: url.path) else { throw fixtureError("\(url.path) missing") }
        return url
    }

    /// A DNG of `source`'s pixels as an RGGB mosaic; `preview`: the width of
    /// an embedded JPEG preview (nil: none); `orientation`: TIFF orientation;
    /// `captured`: the capture time, EXIF style ("2022:03:04 05:06:07").
    public static func dng(from source: URL, to output: URL, preview: Int? = nil, orientation: Int = 1,
                           captured: String? = nil) throws {
        let script = repository.appendingPathComponent("e2e/fixtures/make-dng.py").path
        var arguments = [script, source.path, output.path, "--orientation", String(orientation)]
        if let preview { arguments += ["--preview", String(preview)] }
        if let captured { arguments += ["--datetime", captured] }
        let run = try Python.run(try python(), arguments)
        guard run.status == 0 else { throw fixtureError("make-dng.py failed: \(run.output)") }
    }

    static func fixtureError(_ message: String) -> Error { FixtureError(description: message) }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}
