import ArgumentParser
import Foundation
import KeepersCLI
import KeepersCore
import KeepersSamples

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-samples",
        abstract: "Write the built-in synthetic sample photos into OUTPUT/good and OUTPUT/bad.")

    @Argument(help: "Output folder.")
    var output: String = "photos/sample"

    @Option(help: "Number of photos.")
    var count = 400

    @Option(help: "Share of good photos.")
    var goodFraction = 0.28

    @Option(help: "Random seed.")
    var seed: UInt64 = 2017

    @Option(help: "Scale of photo sizes (1 = long side 800-2400 px).")
    var sizeScale = 1.0

    @Option(help: "Make every photo exactly WIDTHxHEIGHT (e.g. 4000x3000, camera-sized).")
    var fixedSize: String?

    @Option(help: "Scenes shot as bursts of 4 frames 0.3 s apart (one sharp, three flawed), among the --count photos (default: count / 40).")
    var bursts: Int?

    func validate() throws {
        if let fixedSize { _ = try parsedSize(fixedSize) }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        if let bursts, bursts < 0 || count - bursts * SampleGenerator.burstFrames < 2 {
            throw ValidationError("--bursts: \(bursts) bursts of \(SampleGenerator.burstFrames) frames leave fewer than 2 of the \(count) photos")
        }
        guard goodFraction > 0, goodFraction < 1 else { throw ValidationError("--good-fraction must be in (0, 1)") }
        guard sizeScale > 0.01, sizeScale <= 4 else { throw ValidationError("--size-scale must be in (0.01, 4]") }
    }

    func run() throws {
        var generator = SampleGenerator()
        generator.count = count
        generator.goodFraction = goodFraction
        generator.seed = seed
        generator.sizeScale = sizeScale
        generator.bursts = bursts
        if let fixedSize { generator.fixedSize = try parsedSize(fixedSize) }
        do {
            let written = try generator.write(into: URL(fileURLWithPath: output), context: .standardError())
            print("samples: \(written) photos written, \(count - written) already present in \(output)")
        } catch {
            exitWithError("keepers-samples", error)
        }
    }
}

func parsedSize(_ text: String) throws -> (width: Int, height: Int) {
    let parts = text.split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts.allSatisfy({ (16...20000).contains($0) }) else {
        throw ValidationError("--fixed-size must look like 4000x3000")
    }
    return (parts[0], parts[1])
}

SamplesCommand.main()
