import ArgumentParser
import Foundation
import KeepersConfig
import KeepersCore

/// Options every stage takes: which config, and where work directories live.
public struct PipelineOptions: ParsableArguments {
    @Option(help: "Pipeline configuration (YAML).")
    public var config: String = "configs/demo.yaml"

    @Option(help: "Folder holding one work directory per config.")
    public var work: String = "work"

    public init() {}

    /// Loads and validates the config before any work starts.
    public func load() throws -> (PipelineConfig, WorkLayout) {
        let url = URL(fileURLWithPath: config)
        // A ConfigError already names the file, the key and what was expected;
        // thrown as is, ArgumentParser prints it without a usage screen.
        let loaded = try PipelineConfig.load(from: url)
        return (loaded, WorkLayout(configFile: url, workRoot: URL(fileURLWithPath: work)))
    }

    /// `load()`, then the work directory's lock for the rest of the process
    /// (see `WorkLock`): for the stages, which write there.
    public func loadForWriting(tool: String) throws -> (PipelineConfig, WorkLayout) {
        let (config, layout) = try load()
        try WorkLock.holdForProcess(layout.root, tool: tool)
        return (config, layout)
    }
}

/// Prints "<tool>: <error>" to standard error and exits 1. Errors from our
/// code already name the file and what is wrong.
public func exitWithError(_ tool: String, _ error: Error) -> Never {
    FileHandle.standardError.write(Data("\(tool): error: \(error)\n".utf8))
    exit(1)
}
