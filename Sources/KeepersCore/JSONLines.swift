import Foundation

/// JSON Lines: one JSON object per line, keys sorted, so that files diff well
/// and identical content gives identical bytes.
public enum JSONLines {
    public static func encode<T: Encodable>(_ records: [T]) -> Data {
        var out = Data()
        for record in records {
            out.append(CanonicalJSON.encode(record))
            out.append(0x0A)
        }
        return out
    }

    public static func write<T: Encodable>(_ records: [T], to url: URL) throws {
        try AtomicFile.write(encode(records), to: url)
    }

    /// Reads every line; a line that does not parse is an error naming the
    /// file and the line number.
    public static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> [T] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw KeepersError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        var records: [T] = []
        for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            do { records.append(try decoder.decode(T.self, from: Data(line))) } catch {
                throw KeepersError.format(path: url.path, reason: "line \(number + 1): \(describe(error))")
            }
        }
        return records
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing field '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
