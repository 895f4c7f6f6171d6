import Testing
@testable import KeepersGroups

@Suite struct CaptureTimeTests {
    @Test func readsExifClockWithSubSeconds() throws {
        let time = try #require(CaptureTime(exifDateTime: "2024:05:01 12:34:56", subSeconds: "3"))
        #expect(time.text == "2024-05-01T12:34:56.300")
        let later = try #require(CaptureTime(exifDateTime: "2024:05:01 12:34:57", subSeconds: "05"))
        #expect(later.milliseconds - time.milliseconds == 750)
        #expect(CaptureTime(exifDateTime: "2024:05:01 12:34:56", subSeconds: "123456")?.text == "2024-05-01T12:34:56.123")
    }

    @Test func epochAndCalendarArithmetic() {
        #expect(CaptureTime(exifDateTime: "1970:01:01 00:00:00")?.milliseconds == 0)
        // 2000-03-01 is 11017 days after the epoch (a leap year's February crossed).
        let march = CaptureTime(exifDateTime: "2000:03:01 00:00:01")?.milliseconds
        #expect(march == Int64(11_017 * 86_400 + 1) * 1000)
        // Midnight crossing: 23:59:59.9 to 00:00:00.2 is 0.3 s.
        let before = CaptureTime(exifDateTime: "2023:12:31 23:59:59", subSeconds: "9")!
        let after = CaptureTime(exifDateTime: "2024:01:01 00:00:00", subSeconds: "2")!
        #expect(after.milliseconds - before.milliseconds == 300)
    }

    @Test func refusesBlankAndMalformedClocks() {
        for text in ["0000:00:00 00:00:00", "    :  :     :  :  ", "", "2024:13:01 00:00:00", "2024:05:01 24:00:00",
                     "2024:05:01", "2024:05:01 12:34:56 extra", "20x4:05:01 12:34:56"] {
            #expect(CaptureTime(exifDateTime: text) == nil, "\(text)")
        }
        #expect(CaptureTime(exifDateTime: "2024:05:01 12:34:56", subSeconds: "3a") == nil)
    }

    @Test func textRoundTrips() throws {
        let time = try #require(CaptureTime(exifDateTime: "2019-07-14T08:09:10", subSeconds: "042"))
        #expect(CaptureTime(text: time.text) == time)
        #expect(CaptureTime(text: "2019-07-14T08:09:10") == CaptureTime(exifDateTime: "2019:07:14 08:09:10"))
    }
}
