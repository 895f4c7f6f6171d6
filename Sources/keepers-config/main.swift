import ArgumentParser
import Foundation
import KeepersCLI
import KeepersConfig
import KeepersCore

/// Helper for pipeline.mk: validates a config, prints a value, and writes the
/// per-stage stamp files whose content changes only when that stage's
/// section does (so make reruns exactly the stages a change affects).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-config",
        abstract: "Validate a pipeline config, print values and write make stamps.",
        subcommands: [Check.self, Stamp.self, Get.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the config; print its canonical form.")
        @OptionGroup var pipeline: PipelineOptions
        func run() throws {
            let (config, _) = try pipeline.load()
            for section in PipelineConfig.sections {
                print("\(section): \(try config.sectionJSON(section))")
            }
        }
    }

    struct Stamp: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write each section's canonical JSON to DIR/<section>.json, leaving unchanged files untouched.")
        @OptionGroup var pipeline: PipelineOptions
        @Option(help: "Folder of the stamp files.") var dir: String
        @Option(help: "Photos folder for photos.list (default: the config's `photos:`).") var photos: String?
        @Flag(help: "Refresh only DIR/photos.list, the listing of the photos folder; fails if the folder is missing.")
        var photosList = false
        func run() throws {
            let (config, _) = try pipeline.load()
            if photosList {
                let folder = URL(fileURLWithPath: photos ?? config.photos)
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                    throw KeepersError.invalidArgument("photos folder '\(folder.path)' not found (set PHOTOS=dir or photos: in \(pipeline.config))")
                }
                try PhotoListing.refresh(URL(fileURLWithPath: dir).appendingPathComponent("photos.list"), folder: folder)
                return
            }
            for section in PipelineConfig.sections {
                let text = try config.sectionJSON(section) + "\n"
                let url = URL(fileURLWithPath: dir).appendingPathComponent("\(section).json")
                if (try? String(contentsOf: url, encoding: .utf8)) == text { continue }
                try AtomicFile.write(text, to: url)
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one top-level value (photos, name).")
        @OptionGroup var pipeline: PipelineOptions
        @Argument(help: "photos or name") var key: String
        @Option(help: "With `photos`: print this instead of the config's value (make's PHOTOS=).") var photos: String?
        func run() throws {
            let (config, _) = try pipeline.load()
            switch key {
            case "photos": print(photos ?? config.photos)
            case "name": print(config.name)
            default: throw ValidationError("unknown key '\(key)' (photos, name)")
            }
        }
    }
}

ConfigCommand.main()
