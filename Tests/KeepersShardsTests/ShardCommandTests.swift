import KeepersTestSupport
import Foundation
import Testing
@testable import KeepersShards

/// Runs the built `keepers-shard` executable on a fixture: exit codes and messages.
@Suite struct ShardCommandTests {
    @Test func buildThenVerifyThenCatchADamagedFile() throws {
        let tool = try #require(Self.executable(), "keepers-shard is not built next to the tests; run `swift build` first")
        let fixture = try Fixture.standard(compression: .gzip)
        let config = fixture.dir.url.appendingPathComponent("t.yaml")  // work/t, like the fixture
        try "photos: photos\nshard:\n  compression: gzip\n".write(to: config, atomically: true, encoding: .utf8)
        let work = fixture.dir.url.appendingPathComponent("work").path
        let arguments = ["--config", config.path, "--work", work]

        let built = try Python.run(tool, arguments, in: fixture.dir.url)
        #expect(built.status == 0 && built.output.contains("7 images in 3 buckets: 3 rebuilt"), "\(built.output)")
        let verified = try Python.run(tool, arguments + ["--verify"], in: fixture.dir.url)
        #expect(verified.status == 0 && verified.output.contains("ok: 3 files, 7 images decoded"), "\(verified.output)")

        let name = try fixture.shardFiles((.val, 8, 12))[0]
        let url = fixture.layout.shards.appendingPathComponent(name)
        try Data(try Data(contentsOf: url).prefix(1000)).write(to: url)
        let failed = try Python.run(tool, arguments + ["--verify"], in: fixture.dir.url)
        #expect(failed.status == 1 && failed.output.contains(name) && failed.output.contains("truncated"), "\(failed.output)")
    }

    /// The executable in the build folder that holds the test binary.
    static func executable() -> String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = folder.appendingPathComponent("keepers-shard").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
