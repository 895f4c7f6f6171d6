import Foundation
import KeepersCore
import KeepersHDF5
import Testing

@Suite struct HDF5ErrorTests {
    @Test func openingATruncatedFileNamesItAndQuotesHDF5() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("cut.h5")
        let file = try HDF5File.create(at: url)
        try file.createDataset("x", values: [Double](repeating: 1, count: 10_000))
        try file.close()
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        #expect {
            _ = try HDF5File.open(at: url).dataset("x").read(Double.self)
        } throws: { error in
            let text = "\(error)"
            return text.contains("cut.h5") && text.contains("truncated")
        }
    }

    @Test func missingFileAndMissingDatasetAreNamed() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("none.h5")
        #expect { _ = try HDF5File.open(at: url) } throws: { "\($0)".contains("none.h5") }
        let file = try HDF5File.create(at: url)
        #expect { _ = try file.dataset("ghost") } throws: { "\($0)".contains("none.h5 /ghost: does not exist") }
    }

    @Test func wrongTypeAndWrongSelectionAreRefused() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(at: dir.url.appendingPathComponent("t.h5"))
        let data = try file.createDataset("x", values: [Float]([1, 2, 3, 4]), shape: [2, 2])
        #expect { _ = try data.read(UInt8.self) } throws: { "\($0)".contains("the dataset holds float32") }
        var two = [Float](repeating: 0, count: 2)
        #expect {
            try two.withUnsafeMutableBufferPointer { try data.read(start: [1, 1], count: [1, 2], into: $0) }
        } throws: { "\($0)".contains("/x") && "\($0)".contains("shape is [2, 2]") }
        #expect { _ = try file.stringAttribute("absent") } throws: { "\($0)".contains("no attribute 'absent'") }
        #expect {
            try file.createDataset("z", type: .uint8, shape: [4], storage: HDF5Storage(compression: .gzip(level: 1, shuffle: true)))
        } throws: { "\($0)".contains("compression needs a chunk shape") }
    }

    @Test func objectsAreUnusableAfterTheirFileIsClosed() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("c.h5")
        let file = try HDF5File.create(at: url)
        let data = try file.createDataset("x", values: [Int32]([5]))
        try file.close()
        #expect { _ = try data.read(Int32.self) } throws: { "\($0)".contains("used after its file was closed") }
        #expect(try HDF5File.open(at: url).dataset("x").read(Int32.self) == [5])
    }

    @Test func concurrentReadersGetTheirOwnData() async throws {
        let dir = try TemporaryDirectory()
        let urls = (0..<4).map { dir.url.appendingPathComponent("f\($0).h5") }
        for (k, url) in urls.enumerated() {
            let file = try HDF5File.create(at: url)
            try file.createDataset("v", values: [Int32](repeating: Int32(k), count: 4096),
                                   storage: HDF5Storage(chunk: [256], compression: .gzip(level: 1, shuffle: true)))
            try file.close()
        }
        // Unserialised, libhdf5 corrupts its state within a few hundred concurrent calls.
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (k, url) in urls.enumerated() {
                group.addTask {
                    var same = true
                    for _ in 0..<50 { same = try same && HDF5File.open(at: url).dataset("v").read(Int32.self).allSatisfy { $0 == k } }
                    return same
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(ok)
    }
}
