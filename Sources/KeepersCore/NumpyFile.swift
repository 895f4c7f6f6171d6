import Foundation

/// A float32 array in NumPy's .npy format (version 1.0, little-endian,
/// C order), so Python reads it with a bare `numpy.load`. Hand-written: the
/// format is a 10-byte preamble and a Python-literal header, and no package
/// this project may use writes it.
public struct NumpyFile: Equatable, Sendable {
    public let shape: [Int]
    public let values: [Float]

    public static func float32(_ values: [Float], shape: [Int]) throws -> NumpyFile {
        guard shape.reduce(1, *) == values.count else {
            throw KeepersError.invalidArgument("\(values.count) values for shape \(shape)")
        }
        return NumpyFile(shape: shape, values: values)
    }

    private init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The file's bytes: magic, version, header length, header padded so the data starts 64-byte aligned.
    public var data: Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { pointer in
            for value in pointer {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Reads what `data` writes (float32, little-endian, C order); anything else is refused.
    public init(data: Data, path: String) throws {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> KeepersError { .format(path: path, reason: "not a Keepers .npy file: \(why)") }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else {
            throw fail("no NumPy 1.0 preamble")
        }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length, let header = String(bytes: bytes[10..<(10 + length)], encoding: .ascii) else {
            throw fail("truncated header")
        }
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header.range(of: ")", range: open.upperBound..<header.endIndex)
        else { throw fail("not little-endian float32 in C order") }
        let dims = header[open.upperBound..<close.lowerBound].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.compactMap(Int.init)
        let count = dims.reduce(1, *)
        guard bytes.count == 10 + length + 4 * count else { throw fail("\(bytes.count - 10 - length) data bytes for shape \(dims)") }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 10 + length + 4 * index,
                                                                                         as: UInt32.self)))
            }
        }
        shape = dims
        self.values = values
    }
}
