import Foundation
import KeepersCore
import KeepersTestSupport
import Testing
@testable import KeepersIngest

@Suite struct QuietIngestTests {
    /// `showProgress: false` used to log the first and the last progress line anyway.
    @Test func aSilentContextHearsNothingFromIngest() throws {
        let folder = try PhotoFolder()
        for i in 0..<3 { try folder.photo("\(i == 0 ? "good" : "bad")/p\(i).jpg", seed: i) }
        let transcript = Transcript()
        try Ingestor(photos: folder.root, layout: folder.layout, settings: PhotoFolder.settings(),
                     context: transcript.context(.silent)).run()
        #expect(try folder.manifest().count == 3)
        #expect(transcript.text == "")
    }
}
