import Foundation
import KeepersCore
import KeepersTestSupport
import Testing
@testable import KeepersImaging

@Suite struct CameraClockTests {
    @Test func readsTheCaptureTimeAJpegRecords() throws {
        let clock = CameraClock(dateTime: "2021:08:14 17:03:09", subSeconds: "30")
        for format in [PhotoEncoder.Format.jpeg, .webp] {
            let data = try PhotoEncoder.encode(Fixtures.scene(seed: 1, width: 64, height: 48), as: format, clock: clock)
            #expect(CameraClock.read(data) == clock, "\(format)")
        }
        let withoutSubSeconds = CameraClock(dateTime: "2021:08:14 17:03:09", subSeconds: nil)
        let data = try PhotoEncoder.encode(Fixtures.scene(seed: 1, width: 64, height: 48), as: .jpeg, clock: withoutSubSeconds)
        #expect(CameraClock.read(data) == withoutSubSeconds)
    }

    /// Ingest and predict take the clock from the header their decode opens.
    @Test func theDecodeReadsTheSameClock() throws {
        let preprocessor = try PhotoPreprocessor(settings: ImageSettings(), maxPixels: 10_000_000)
        let clock = CameraClock(dateTime: "2021:08:14 17:03:09", subSeconds: "30")
        for (format, recorded) in [(PhotoEncoder.Format.jpeg, clock), (.webp, clock), (.jpeg, nil), (.png, nil)] {
            let data = try PhotoEncoder.encode(Fixtures.scene(seed: 3, width: 64, height: 48), as: format, clock: recorded)
            let decoded = try preprocessor.processWithClock(data)
            #expect(decoded.clock == recorded, "\(format)")
            #expect(decoded.image == (try preprocessor.process(data)))
        }
    }

    @Test func photosWithoutAClockOrNotPhotosAtAllGiveNil() throws {
        #expect(CameraClock.read(try PhotoEncoder.encode(Fixtures.scene(seed: 2, width: 64, height: 48), as: .jpeg)) == nil)
        #expect(CameraClock.read(try PhotoEncoder.encode(Fixtures.scene(seed: 2, width: 64, height: 48), as: .png)) == nil)
        #expect(CameraClock.read(Data("not a photo".utf8)) == nil)
        #expect(CameraClock.read(Data()) == nil)
    }
}
