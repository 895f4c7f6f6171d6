/// File names are bytes; manifests, CSVs and messages are UTF-8 text. A name
/// that is not valid UTF-8 (a Latin-1 `café.jpg` from an old camera or
/// archive) is written with each byte that is not part of valid UTF-8 as
/// `\xHH` (two lower-case hex digits), and a literal backslash as `\\`; all
/// other text is unchanged. The mapping is reversible (`bytes(of:)`), so two
/// different names never share a `source` and the file can be opened again
/// from its text. docs/formats.md describes it.
public enum PathEscaping {
    public static func text(of bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                out += "\\x" + String(bytes[index], radix: 16).leftPadded(to: 2)
                index += 1
                continue
            }
            let scalar = String(decoding: bytes[index..<(index + length)], as: UTF8.self)
            out += scalar == "\\" ? "\\\\" : scalar
            index += length
        }
        return out
    }

    /// The bytes `text(of:)` was made from. A backslash not followed by `\`
    /// or `xHH` stands for itself (text from elsewhere, such as a command line).
    public static func bytes(of text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x5C, index + 1 < utf8.count {
                if utf8[index + 1] == 0x5C {
                    out.append(0x5C)
                    index += 2
                    continue
                }
                if utf8[index + 1] == 0x78, index + 3 < utf8.count,
                   let byte = UInt8(String(decoding: utf8[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) {
                    out.append(byte)
                    index += 4
                    continue
                }
            }
            out.append(utf8[index])
            index += 1
        }
        return out
    }

    /// Length of the valid UTF-8 sequence starting at `index`, 0 if none.
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        var decoder = UTF8()
        var iterator = bytes[index..<(index + length)].makeIterator()
        guard case .scalarValue = decoder.decode(&iterator) else { return 0 }
        return length
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
