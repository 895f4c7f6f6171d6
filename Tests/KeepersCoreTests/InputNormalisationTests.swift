import Testing
import KeepersCore

@Suite struct InputNormalisationTests {
    @Test func convertsHWCBytesToNormalisedCHW() {
        // 1 x 2 image: pixel 0 = (0, 51, 255), pixel 1 = (255, 102, 0).
        let rgb: [UInt8] = [0, 51, 255, 255, 102, 0]
        let v51 = Float(51) / 255 - 0.5, v102 = Float(102) / 255 - 0.5
        #expect(InputNormalisation.normalised(rgb, height: 1, width: 2) == [-0.5, 0.5, v51, v102, 0.5, -0.5])
        #expect(InputNormalisation.normalised(rgb, height: 1, width: 2, flip: true) == [0.5, -0.5, v102, v51, -0.5, 0.5])
    }
}
