import Foundation
import KeepersImaging

/// Test fixtures shared by several test targets: small synthetic images with
/// recognisable halves, for asserting on pixels, and hand-made odd files.
public enum Fixtures {
    /// Top half red, bottom half blue.
    public static func redOverBlue(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width { image[x, y] = y < height / 2 ? (220, 20, 20) : (20, 20, 220) }
        }
        return image
    }

    /// Rotated 90 degrees counter-clockwise: what a camera stores for EXIF
    /// orientation 6 (the viewer rotates it clockwise to display it).
    public static func rotatedCounterClockwise(_ image: RGBImage) -> RGBImage {
        var out = RGBImage(width: image.height, height: image.width)
        for y in 0..<image.height {
            for x in 0..<image.width { out[y, image.width - 1 - x] = image[x, y] }
        }
        return out
    }

    /// A valid PNG that claims `width` x `height` pixels but carries only a
    /// few bytes of pixel data: a decompression bomb as far as its header goes.
    public static func pngBombHeader(width: UInt32, height: UInt32) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        for value in [width, height] { header.append(contentsOf: bigEndian(value)) }
        header.append(contentsOf: [8, 2, 0, 0, 0])
        // zlib stream with one stored deflate block of 16 zero bytes.
        var idat = Data([0x78, 0x01, 0x01, 16, 0, 0xEF, 0xFF])
        idat.append(Data(count: 16))
        idat.append(contentsOf: bigEndian(UInt32(16 << 16 | 1))) // adler32 of 16 zeros
        for (type, body) in [("IHDR", header), ("IDAT", idat), ("IEND", Data())] {
            let chunk = Data(type.utf8) + body
            data.append(contentsOf: bigEndian(UInt32(body.count)))
            data.append(chunk)
            data.append(contentsOf: bigEndian(crc32(chunk)))
        }
        return data
    }

    public static func bigEndian(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    public static func crc32(_ bytes: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    public static func mean(_ image: RGBImage, rows: Range<Int>) -> (r: Double, g: Double, b: Double) {
        var sum = (0.0, 0.0, 0.0)
        for y in rows {
            for x in 0..<image.width {
                let p = image[x, y]
                sum.0 += Double(p.r)
                sum.1 += Double(p.g)
                sum.2 += Double(p.b)
            }
        }
        let n = Double(rows.count * image.width)
        return (sum.0 / n, sum.1 / n, sum.2 / n)
    }
}
