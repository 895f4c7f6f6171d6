internal import CHDF5
import Foundation

/// A dataset: an n-dimensional array of one element type. Shape, type,
/// chunking and filters are read once when it is opened (datasets Keepers
/// writes never change shape).
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
    public let shape: [Int]
    public let elementType: HDF5ElementType
    /// nil when the data is stored contiguously.
    public let chunkShape: [Int]?
    /// The filter pipeline, in the order it is applied on write.
    public let filters: [HDF5Filter]

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Reads the dataset's description; called under the library lock.
    init(opened handle: HDF5Handle, at place: HDF5Place) throws {
        let id = handle.id
        shape = try withTemporary(H5Dget_space(id), place, "read shape", close: H5Sclose) { space in
            var dims = [hsize_t](repeating: 0, count: Int(try place.check(H5Sget_simple_extent_ndims(space), "read shape")))
            try place.check(H5Sget_simple_extent_dims(space, &dims, nil), "read shape")
            return dims.map { Int($0) }
        }
        elementType = try withTemporary(H5Dget_type(id), place, "read type", close: H5Tclose) { HDF5ElementType($0) }
        (chunkShape, filters) = try withTemporary(H5Dget_create_plist(id), place, "read layout", close: H5Pclose) { dcpl in
            var chunk: [Int]?
            let layout = H5Pget_layout(dcpl)
            try place.check(layout.rawValue, "read layout")
            if layout == H5D_CHUNKED {
                var dims = [hsize_t](repeating: 0, count: 32)
                let rank = try place.check(H5Pget_chunk(dcpl, Int32(dims.count), &dims), "read chunk shape")
                chunk = dims.prefix(Int(rank)).map { Int($0) }
            }
            let count = try place.check(H5Pget_nfilters(dcpl), "read filters")
            let filters = try (0..<count).map { index in try Self.filter(dcpl, UInt32(index), place) }
            return (chunk, filters)
        }
        super.init(handle: handle, place: place)
    }

    // MARK: Numbers

    /// Writes the whole dataset.
    public func write<T: HDF5Element>(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try write($0, start: nil, count: nil) }
    }

    /// Writes the block of `count` elements per dimension starting at `start`.
    public func write<T: HDF5Element>(_ values: UnsafeBufferPointer<T>, start: [Int]?, count: [Int]?) throws {
        try transfer(T.self, values.count, start, count, "write") { id, memory, file, type in
            H5Dwrite(id, type, memory, file, kh5_p_default(), values.baseAddress)
        }
    }

    /// Reads the whole dataset.
    public func read<T: HDF5Element>(_ type: T.Type = T.self) throws -> [T] {
        try [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            try read(start: nil, count: nil, into: buffer)
            initialised = buffer.count
        }
    }

    /// Reads the block of `count` elements per dimension starting at `start`
    /// (whole dataset if nil) into `buffer`, which must hold exactly that many.
    public func read<T: HDF5Element>(start: [Int]?, count: [Int]?, into buffer: UnsafeMutableBufferPointer<T>) throws {
        try transfer(T.self, buffer.count, start, count, "read") { id, memory, file, type in
            H5Dread(id, type, memory, file, kh5_p_default(), buffer.baseAddress)
        }
    }

    // MARK: Strings

    public func writeStrings(_ values: [String]) throws {
        try checkType(.string, values.count, nil, "write")
        try withID { id in
            // HDF5 wants an array of C string pointers; strdup keeps each alive until written.
            let pointers = values.map { strdup($0) }
            defer { pointers.forEach { free($0) } }
            try withStringType(place) { type in
                try place.check(H5Dwrite(id, type, kh5_s_all(), kh5_s_all(), kh5_p_default(), pointers), "write")
            }
        }
    }

    public func readStrings() throws -> [String] {
        try checkType(.string, count, nil, "read")
        return try withID { id in
            try withStringType(place) { type in
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                try place.check(H5Dread(id, type, kh5_s_all(), kh5_s_all(), kh5_p_default(), &pointers), "read")
                defer {
                    _ = try? withTemporary(H5Dget_space(id), place, "free strings", close: H5Sclose) { space in
                        H5Dvlen_reclaim(type, space, kh5_p_default(), &pointers)
                    }
                }
                return pointers.map { $0.map { String(cString: $0) } ?? "" }
            }
        }
    }

    // MARK: Internals

    private func checkType(_ type: HDF5ElementType, _ elements: Int, _ block: [Int]?, _ operation: String) throws {
        guard elementType == type else {
            throw place.fail("cannot \(operation) \(type) values: the dataset holds \(elementType)")
        }
        let expected = (block ?? shape).reduce(1, *)
        guard elements == expected else {
            throw place.fail("cannot \(operation) \(elements) values: the selection holds \(expected)")
        }
    }

    /// Checks type and selection, then runs one H5Dread or H5Dwrite with
    /// (dataset, memory space, file space, memory type).
    private func transfer<T: HDF5Element>(_: T.Type, _ elements: Int, _ start: [Int]?, _ block: [Int]?, _ operation: String,
                                          _ call: (hid_t, hid_t, hid_t, hid_t) -> herr_t) throws {
        try checkType(T.hdf5Type, elements, block, operation)
        try withID { id in
            guard let start, let block else {
                try place.check(call(id, kh5_s_all(), kh5_s_all(), T.hdf5Type.memoryType), operation)
                return
            }
            guard start.count == shape.count, block.count == shape.count,
                  zip(zip(start, block), shape).allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 + $0.1 <= $1 }) else {
                throw place.fail("cannot \(operation) block at \(start) of size \(block): the shape is \(shape)")
            }
            var offsets = start.map { hsize_t($0) }, sizes = block.map { hsize_t($0) }
            try withTemporary(H5Dget_space(id), place, operation, close: H5Sclose) { fileSpace in
                try place.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &offsets, nil, &sizes, nil), operation)
                try withTemporary(H5Screate_simple(Int32(sizes.count), &sizes, nil), place, operation, close: H5Sclose) { memory in
                    try place.check(call(id, memory, fileSpace, T.hdf5Type.memoryType), operation)
                }
            }
        }
    }

    private static func filter(_ dcpl: hid_t, _ index: UInt32, _ place: HDF5Place) throws -> HDF5Filter {
        var flags: UInt32 = 0, config: UInt32 = 0
        var values = [UInt32](repeating: 0, count: 8), valueCount = values.count
        var name = [CChar](repeating: 0, count: 64)
        let id = try place.check(H5Pget_filter2(dcpl, index, &flags, &valueCount, &values, name.count, &name, &config),
                                 "read filters")
        switch id {
        case H5Z_FILTER_DEFLATE: return .gzip(level: Int(values[0]))
        case H5Z_FILTER_SHUFFLE: return .shuffle
        default: return .other(id: Int(id), name: string(fromC: name))
        }
    }
}
