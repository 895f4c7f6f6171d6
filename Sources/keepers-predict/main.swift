import ArgumentParser
import Foundation
import KeepersCLI
import KeepersCore
import KeepersScoring
import KeepersXMP

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-predict",
        abstract: "Score new photos with a trained model; CSV path,score,group,rank,error,logit,reasons sorted best first.")

    @Option(help: "Trained model (work/<config>/train/model.h5).")
    var model: String

    @Argument(help: "Photos, or folders searched recursively.")
    var photos: [String]

    @Option(help: "Write the CSV here instead of standard output.")
    var output: String?

    @Option(help: "Write a culling page here: index.html and thumbnails (docs/formats.md).")
    var page: String?

    @Option(help: "Keep only the N best photos in the CSV.")
    var top: Int?

    @Option(help: "Link photos scoring at least the threshold into this folder.")
    var keepInto: String?

    @Flag(help: "With --keep-into: copy instead of linking.")
    var copy = false

    @Option(help: "Score threshold for --keep-into (default: the report's Youden threshold, else 0.5).")
    var threshold: Double?

    @Option(help: "Refuse files larger than this many bytes unread (default: ingest's max_file_bytes default).")
    var maxFileBytes = IngestSettings().maxFileBytes

    @Option(help: "Compute threads (0 = one per core).")
    var threads = 0

    @Flag(help: "Write star ratings, a colour label and the score into each photo's XMP sidecar.")
    var xmp = false

    @Option(help: "With --xmp: sidecar names, full (IMG_0001.CR2.xmp: darktable, digiKam) or stem (IMG_0001.xmp: Lightroom).")
    var xmpName = "full"

    @Option(help: "With --xmp: lowest scores for 2,3,4,5 stars (default: around the threshold, docs/formats.md).")
    var stars: String?

    @Option(help: "With --xmp: xmp:Label for photos scoring at least the threshold; \"\" for none.")
    var label = "Green"

    @Flag(help: "With --xmp: show what would change in the sidecars, write nothing.")
    var dryRun = false

    @Flag(help: "Keep only the best photo of each burst (--keep-into); with --xmp, its siblings get a star less.")
    var bestOfGroup = false

    @Flag(help: "Do not group bursts: every photo is a group of its own.")
    var noGroups = false

    @Option(help: "Photos taken at most this many seconds apart may be one burst.")
    var groupGap = GroupSettings().gapSeconds

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in 0...1") }
        if copy && keepInto == nil { throw ValidationError("--copy needs --keep-into") }
        if !xmp && (dryRun || stars != nil) { throw ValidationError("--dry-run and --stars need --xmp") }
        if SidecarName(rawValue: xmpName) == nil { throw ValidationError("--xmp-name must be full or stem") }
        if let stars, starCutoffs(stars) == nil { throw ValidationError("--stars takes 4 numbers, e.g. 0.2,0.4,0.6,0.8") }
        if bestOfGroup && noGroups { throw ValidationError("--best-of-group needs groups: drop --no-groups") }
        if bestOfGroup && keepInto == nil && !xmp { throw ValidationError("--best-of-group needs --keep-into or --xmp") }
        if !(0...3600).contains(groupGap) { throw ValidationError("--group-gap must be in 0...3600 seconds") }
    }

    func starCutoffs(_ text: String) -> [Double]? {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return values.count == 4 && values.allSatisfy({ $0 != nil }) ? values.map { $0! } : nil
    }

    func run() throws {
        MallocArenas.useOne()
        var run = PredictRun(model: URL(fileURLWithPath: model), photos: photos)
        run.output = output.map { URL(fileURLWithPath: $0) }
        run.page = page.map { URL(fileURLWithPath: $0, isDirectory: true) }
        run.top = top
        run.keepInto = keepInto
        run.copy = copy
        run.threshold = threshold
        run.maxFileBytes = maxFileBytes
        run.threads = threads
        if xmp {
            var sidecars = PredictRun.Sidecars()
            sidecars.naming = SidecarName(rawValue: xmpName)!
            sidecars.starCutoffs = stars.flatMap(starCutoffs)
            sidecars.label = label.isEmpty ? nil : label
            sidecars.dryRun = dryRun
            run.sidecars = sidecars
        }
        run.bestOfGroup = bestOfGroup
        run.groups.enabled = !noGroups
        run.groups.gapSeconds = groupGap
        do {
            try run.run(context: .standardError())
        } catch {
            exitWithError("keepers-predict", error)
        }
    }
}

PredictCommand.main()
