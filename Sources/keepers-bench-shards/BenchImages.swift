import Foundation
import KeepersCore
import KeepersImaging

/// Test images for the benchmark. Compression ratios depend on content, so
/// the default imitates a photo (smooth light, a few objects, sensor noise)
/// and `--photos` uses centre crops of real photos instead.
enum BenchImages {
    static func synthetic(count: Int, height: Int, width: Int) -> [RGBImage] {
        (0..<count).map { index in
            var rng = SequentialRandom(seed: UInt64(index) + 1)
            let base = (0..<3).map { _ in 40 + 150 * rng.unit() }
            let slope = (0..<6).map { _ in (rng.unit() - 0.5) * 120 }
            let blobs = (0..<4).map { _ in
                (x: rng.unit() * Double(width), y: rng.unit() * Double(height),
                 r: 20 + rng.unit() * Double(min(width, height)) / 3, colour: (0..<3).map { _ in rng.unit() * 255 })
            }
            var pixels = [UInt8](repeating: 0, count: height * width * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let (u, v) = (Double(x) / Double(width), Double(y) / Double(height))
                    let blob = blobs.first { pow($0.x - Double(x), 2) + pow($0.y - Double(y), 2) < $0.r * $0.r }
                    for c in 0..<3 {
                        let light = blob?.colour[c] ?? base[c] + slope[2 * c] * u + slope[2 * c + 1] * v
                        let noise = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 6  // sigma about 3 levels
                        pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, (light + noise).rounded())))
                    }
                }
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    /// Centre crops of every photo under `folder` that is large enough.
    static func photos(in folder: URL, count: Int, height: Int, width: Int) throws -> [RGBImage] {
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL } ?? [])
            .filter { ["jpg", "jpeg", "png"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
        var crops: [RGBImage] = []
        for file in files where crops.count < count {
            let photo = try StoredImage.read(file)
            guard photo.width >= width, photo.height >= height else { continue }
            let (x0, y0) = ((photo.width - width) / 2, (photo.height - height) / 2)
            var pixels: [UInt8] = []
            pixels.reserveCapacity(height * width * 3)
            for y in y0..<y0 + height {
                let row = (y * photo.width + x0) * 3
                pixels += photo.pixels[row..<row + width * 3]
            }
            crops.append(RGBImage(width: width, height: height, pixels: pixels))
        }
        guard !crops.isEmpty else {
            throw KeepersError.invalidArgument("no photo of at least \(width)x\(height) under \(folder.path)")
        }
        return crops
    }
}
