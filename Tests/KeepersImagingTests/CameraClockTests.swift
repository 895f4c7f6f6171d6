import Foundation
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

    @Test func photosWithoutAClockOrNotPhotosAtAllGiveNil() throws {
        #expect(CameraClock.read(try PhotoEncoder.encode(Fixtures.scene(seed: 2, width: 64, height: 48), as: .jpeg)) == nil)
        #expect(CameraClock.read(try PhotoEncoder.encode(Fixtures.scene(seed: 2, width: 64, height: 48), as: .png)) == nil)
        #expect(CameraClock.read(Data("not a photo".utf8)) == nil)
        #expect(CameraClock.read(Data()) == nil)
    }
}
