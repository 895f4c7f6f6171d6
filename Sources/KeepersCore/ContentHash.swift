import Crypto
import Foundation

public enum ContentHash {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of a value's canonical JSON (sorted keys): a stable fingerprint
    /// of a settings struct, used for stamps and resume checks.
    public static func fingerprint(of value: some Encodable) -> String {
        sha256(CanonicalJSON.encode(value))
    }
}

public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of numbers and strings cannot fail.
        return try! encoder.encode(value)
    }

    public static func string(_ value: some Encodable) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}
