import Testing
@testable import KeepersCore

/// Non-UTF-8 file names in text (`PathEscaping`).
@Suite struct PathEscapingTests {
    @Test func invalidUTF8IsEscapedReversiblyAndDistinctNamesStayDistinct() {
        let names: [[UInt8]] = [
            Array("good/caf".utf8) + [0xE9] + Array(".jpg".utf8),   // Latin-1 é
            Array("good/caf".utf8) + [0xE8] + Array(".jpg".utf8),   // Latin-1 è
            Array("good/caf\\xe9.jpg".utf8),                         // the escape's text, literally
            Array("good/café.jpg".utf8),                             // valid UTF-8 stays as it is
            [0xC3, 0x28, 0x5C, 0x5C, 0xF0, 0x9F, 0x98, 0x80, 0xFF],
        ]
        let texts = names.map(PathEscaping.text(of:))
        #expect(texts[0] == "good/caf\\xe9.jpg")
        #expect(texts[2] == "good/caf\\\\xe9.jpg")
        #expect(texts[3] == "good/café.jpg")
        #expect(Set(texts).count == names.count)
        #expect(names.allSatisfy { PathEscaping.bytes(of: PathEscaping.text(of: $0)) == $0 })
    }
}
