import KeepersCore
import KeepersTestSupport
import Testing

@Suite struct StageContextTests {
    /// A clock standing still: every update falls in the same logging interval.
    static let frozen: @Sendable () -> Double = { 100 }

    static func countToThree(_ context: StageContext) {
        let progress = context.progress("work", total: 3, unit: "files")
        for _ in 0..<3 { progress.advance() }
        progress.finish()
    }

    @Test func silentProgressWritesNothing() {
        // Before StageContext, `showProgress: false` still logged the first and the last line.
        let transcript = Transcript()
        Self.countToThree(transcript.context(.silent, now: Self.frozen))
        transcript.context(.silent).progress("work", total: 1).finish("done")
        #expect(transcript.text == "")
    }

    @Test func loggedProgressWritesTheFirstAndTheLastLineOnly() {
        let transcript = Transcript()
        Self.countToThree(transcript.context(.logged, now: Self.frozen))
        #expect(transcript.text == "work: 1/3 files, 0.0/s\nwork: 3/3 files, 0.0/s\n")
    }

    @Test func aMessageClearsTheRedrawnProgressLineFirst() {
        let transcript = Transcript()
        let context = transcript.context(.redrawn, now: Self.frozen)
        context.progress("work", total: 3, unit: "files").advance()
        context.say("hello")
        #expect(transcript.text == "\r\u{1B}[Kwork: 1/3 files, 0.0/s\r\u{1B}[Khello\n")
    }

    @Test func continuousIntegrationLogsInsteadOfRedrawing() {
        // Standard error in `swift test` may or may not be a terminal; CI never redraws.
        #expect(StageContext.standardError(environment: ["CI": "true"]).progressStyle == .logged)
    }
}
