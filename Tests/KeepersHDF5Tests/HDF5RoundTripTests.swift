import Foundation
import KeepersCore
import KeepersHDF5
import Testing

@Suite struct HDF5RoundTripTests {
    @Test func everyElementTypeAndAttributeRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("all.h5")
        let file = try HDF5File.create(at: url)
        try file.createDataset("u8", values: [UInt8]([0, 1, 254, 255]))
        try file.createDataset("i32", values: [Int32]([-2_000_000_000, 0, 7, 2_000_000_000, 5, 6]), shape: [2, 3])
        try file.createDataset("f32", values: [Float]([-0.5, .pi, .greatestFiniteMagnitude]))
        try file.createDataset("f64", values: [Double]([1.0 / 3, -1e300]))
        try file.createDataset("names", strings: ["a", "", "ünïcödé ✓", String(repeating: "x", count: 1000)])
        let group = try file.createGroup("model")
        try group.createDataset("w", values: [Float]([1, 2]))
        try group.setAttribute("step", .int(42))
        try file.setAttribute("version", .int(1))
        try file.setAttribute("lr", .double(0.001))
        try file.setAttribute("split", .string("train ✓"))
        try file.setAttribute("dims", .ints([320, 480]))
        try file.setAttribute("moments", .doubles([0.9, 0.999]))
        try file.setAttribute("version", .int(2))  // replacing is allowed
        try file.close()

        let read = try HDF5File.open(at: url)
        #expect(try read.memberNames() == ["f32", "f64", "i32", "model", "names", "u8"])
        #expect(try read.dataset("u8").read(UInt8.self) == [0, 1, 254, 255])
        let i32 = try read.dataset("i32")
        #expect(i32.shape == [2, 3] && i32.elementType == .int32 && i32.chunkShape == nil)
        #expect(try i32.read(Int32.self) == [-2_000_000_000, 0, 7, 2_000_000_000, 5, 6])
        #expect(try read.dataset("f32").read(Float.self) == [-0.5, .pi, .greatestFiniteMagnitude])
        #expect(try read.dataset("f64").read(Double.self) == [1.0 / 3, -1e300])
        #expect(try read.dataset("names").readStrings() == ["a", "", "ünïcödé ✓", String(repeating: "x", count: 1000)])
        #expect(try read.group("model").dataset("w").read(Float.self) == [1, 2])
        #expect(try read.group("model").intAttribute("step") == 42)
        #expect(try read.intAttribute("version") == 2)
        #expect(try read.doubleAttribute("lr") == 0.001)
        #expect(try read.stringAttribute("split") == "train ✓")
        #expect(try read.attribute("dims") == .ints([320, 480]))
        #expect(try read.attribute("moments") == .doubles([0.9, 0.999]))
        #expect(try read.hasAttribute("missing") == false)
        #expect(try read.contains("model") && !(try read.contains("nothing")))
    }

    @Test(arguments: [HDF5Compression.none, .gzip(level: 1, shuffle: true), .gzip(level: 6, shuffle: false)])
    func chunkedBlocksRoundTrip(compression: HDF5Compression) throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("chunks.h5")
        let (n, h, w) = (3, 5, 7)
        let pixels = (0..<n * h * w * 3).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        do {
            let file = try HDF5File.create(at: url)
            let images = try file.createDataset("images", type: .uint8, shape: [n, h, w, 3],
                                                storage: HDF5Storage(chunk: [1, h, w, 3], compression: compression))
            for i in 0..<n {
                let one = Array(pixels[i * h * w * 3..<(i + 1) * h * w * 3])
                try one.withUnsafeBufferPointer { try images.write($0, start: [i, 0, 0, 0], count: [1, h, w, 3]) }
            }
            try file.close()
        }
        let images = try HDF5File.open(at: url).dataset("images", chunkCacheBytes: 0)
        #expect(images.chunkShape == [1, h, w, 3])
        switch compression {
        case .none: #expect(images.filters == [])
        case let .gzip(level, shuffle): #expect(images.filters == (shuffle ? [.shuffle] : []) + [.gzip(level: level)])
        }
        var second = [UInt8](repeating: 0, count: h * w * 3)
        try second.withUnsafeMutableBufferPointer { try images.read(start: [1, 0, 0, 0], count: [1, h, w, 3], into: $0) }
        #expect(second == Array(pixels[h * w * 3..<2 * h * w * 3]))
        #expect(try images.read(UInt8.self) == pixels)
    }

    @Test func sameContentGivesSameBytes() throws {
        let dir = try TemporaryDirectory()
        func make(_ name: String) throws -> Data {
            let url = dir.url.appendingPathComponent(name)
            let file = try HDF5File.create(at: url)
            try file.createDataset("x", values: [Float](repeating: 0.25, count: 1000),
                                   storage: HDF5Storage(chunk: [100], compression: .gzip(level: 1, shuffle: true)))
            try file.createDataset("ids", strings: ["a", "b"])
            try file.createGroup("g").setAttribute("k", .string("v"))
            try file.close()
            return try Data(contentsOf: url)
        }
        let first = try make("a.h5")
        Thread.sleep(forTimeInterval: 1.1)  // object header times, if recorded, would now differ
        #expect(try make("b.h5") == first)
    }
}
