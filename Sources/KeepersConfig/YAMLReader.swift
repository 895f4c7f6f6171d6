import Foundation
import KeepersCore
import Yams

/// A configuration error: names the file, the key and what was expected.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let key: String
    public let message: String

    public var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }
}

/// Reads one YAML mapping with typed accessors, remembering which keys were
/// read so that `finish()` can refuse unknown (misspelt) keys. Codable would
/// silently ignore them, which is why this is written by hand.
final class YAMLReader {
    let file: String
    let path: String
    private let entries: [(key: String, value: Node)]
    private var used: Set<String> = []

    init(file: String, path: String, node: Node?) throws {
        self.file = file
        self.path = path
        switch node {
        case nil: entries = []
        case let .mapping(mapping)?:
            var list: [(String, Node)] = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw ConfigError(file: file, key: path, message: "keys must be strings")
                }
                if list.contains(where: { $0.0 == name }) {
                    throw ConfigError(file: file, key: Self.join(path, name), message: "duplicate key")
                }
                list.append((name, value))
            }
            entries = list
        case let node?:
            if case let .scalar(scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
                entries = []
            } else {
                throw ConfigError(file: file, key: path, message: "expected a mapping of keys to values")
            }
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func keyPath(_ key: String) -> String { Self.join(path, key) }

    func fail(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, key: keyPath(key), message: message)
    }

    func node(_ key: String) -> Node? {
        used.insert(key)
        return entries.first { $0.key == key }?.value
    }

    func section(_ key: String) throws -> YAMLReader {
        try YAMLReader(file: file, path: keyPath(key), node: node(key))
    }

    private func scalarText(_ node: Node) -> String {
        if case let .scalar(scalar) = node { return scalar.string }
        return "a \(node.isMapping ? "mapping" : "list")"
    }

    func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let node = node(key) else { return value }
        guard case .scalar = node, let parsed = node.int else {
            throw fail(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got '\(scalarText(node))'")
        }
        guard range.contains(parsed) else {
            throw fail(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(parsed)")
        }
        return parsed
    }

    func double(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let node = node(key) else { return value }
        return try Self.double(node, in: range) { self.fail(key, $0) }
    }

    static func double(_ node: Node, in range: ClosedRange<Double>, fail: (String) -> ConfigError) throws -> Double {
        let expected = "expected a number in \(range.lowerBound)...\(range.upperBound)"
        guard case let .scalar(scalar) = node, let parsed = node.float ?? node.int.map(Double.init), parsed.isFinite else {
            if case let .scalar(scalar) = node { throw fail("\(expected), got '\(scalar.string)'") }
            throw fail("\(expected), got a \(node.isMapping ? "mapping" : "list")")
        }
        _ = scalar
        guard range.contains(parsed) else { throw fail("\(expected), got \(parsed)") }
        return parsed
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let node = node(key) else { return value }
        guard case .scalar = node, let parsed = node.bool else {
            throw fail(key, "expected true or false, got '\(scalarText(node))'")
        }
        return parsed
    }

    func string(_ key: String, default value: String) throws -> String {
        guard let node = node(key) else { return value }
        guard case let .scalar(scalar) = node, !scalar.string.isEmpty else {
            throw fail(key, "expected a non-empty string, got '\(scalarText(node))'")
        }
        return scalar.string
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) throws -> T where T.RawValue == String {
        let text = try string(key, default: value.rawValue)
        guard let parsed = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(key, "expected one of \(options), got '\(text)'")
        }
        return parsed
    }

    /// A list, each element read by `element` (given its index path).
    func list<T>(_ key: String, default value: [T], element: (Node, String) throws -> T) throws -> [T] {
        guard let node = node(key) else { return value }
        guard case let .sequence(sequence) = node else {
            throw fail(key, "expected a list, got '\(scalarText(node))'")
        }
        return try sequence.enumerated().map { index, item in try element(item, "\(keyPath(key))[\(index)]") }
    }

    /// Refuses keys that no accessor asked for.
    func finish() throws {
        if let unknown = entries.first(where: { !used.contains($0.key) }) {
            let known = used.sorted().joined(separator: ", ")
            throw fail(unknown.key, "unknown key (known keys here: \(known))")
        }
    }
}

extension Node {
    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
}
