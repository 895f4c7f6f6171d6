import Foundation

/// Real photographs and camera-like RAW files made from them, for the RAW
/// and XMP tests. The photos are scikit-image's sample photographs (public
/// domain or CC0, shipped inside its wheel: nothing is downloaded besides
/// the wheel); pidng writes the DNGs (tests/fixtures/make-dng.py). Both live
/// in a Python venv under .build/, made once.
public enum RawFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let venv = repository.appendingPathComponent(".build/keepers-test-venv")
    static let packages = ["numpy", "pillow", "pidng==4.0.9"]
    /// Installed without its dependencies: only its sample photos are used.
    static let photoPackage = "scikit-image==0.26.0"

    /// The venv's python, created (pip, from PyPI) on first use. A lock
    /// file serialises test processes and parallel tests.
    public static func python() throws -> String {
        try FileManager.default.createDirectory(at: venv.deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock = open(venv.path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw fixtureError("cannot open \(venv.path).lock") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        let python = venv.appendingPathComponent("bin/python").path
        let stamp = venv.appendingPathComponent(".keepers-packages")
        let wanted = (packages + [photoPackage]).joined(separator: " ")
        if (try? String(contentsOf: stamp, encoding: .utf8)) == wanted { return python }
        for step in [("/usr/bin/python3", ["-m", "venv", venv.path]),
                     (python, ["-m", "pip", "install", "-q", "--disable-pip-version-check"] + packages),
                     (python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", photoPackage])] {
            let run = try Python.run(step.0, step.1)
            guard run.status == 0 else { throw fixtureError("\(step.0) \(step.1.joined(separator: " ")) failed: \(run.output)") }
        }
        try wanted.write(to: stamp, atomically: true, encoding: .utf8)
        return python
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
    /// an embedded JPEG preview (nil: none); `orientation`: TIFF orientation.
    public static func dng(from source: URL, to output: URL, preview: Int? = nil, orientation: Int = 1) throws {
        let script = repository.appendingPathComponent("tests/fixtures/make-dng.py").path
        var arguments = [script, source.path, output.path, "--orientation", String(orientation)]
        if let preview { arguments += ["--preview", String(preview)] }
        let run = try Python.run(try python(), arguments)
        guard run.status == 0 else { throw fixtureError("make-dng.py failed: \(run.output)") }
    }

    static func fixtureError(_ message: String) -> Error { FixtureError(description: message) }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}
