internal import CHDF5

/// A group: a folder of datasets and groups inside a file.
public class HDF5Group: HDF5Object, @unchecked Sendable {
    public func createGroup(_ name: String) throws -> HDF5Group {
        try withID { id in
            let place = self.place.child(name)
            let group = try withTemporary(H5Pcreate(kh5_p_group_create()), place, "create group", close: H5Pclose) { gcpl in
                // No modification times in object headers: same content, same bytes.
                try place.check(H5Pset_obj_track_times(gcpl, false), "create group")
                return try place.check(H5Gcreate2(id, name, kh5_p_default(), gcpl, kh5_p_default()), "create group")
            }
            return HDF5Group(handle: HDF5Handle(group, closer: H5Gclose), place: place)
        }
    }

    public func group(_ name: String) throws -> HDF5Group {
        try withID { id in
            let place = try self.existingChild(id, name)
            let group = try place.check(H5Gopen2(id, name, kh5_p_default()), "open group")
            return HDF5Group(handle: HDF5Handle(group, closer: H5Gclose), place: place)
        }
    }

    /// Whether a direct member called `name` exists.
    public func contains(_ name: String) throws -> Bool {
        try withID { id in try place.check(H5Lexists(id, name, kh5_p_default()), "look up '\(name)'") > 0 }
    }

    /// Names of the direct members, in name order.
    public func memberNames() throws -> [String] {
        try withID { id in
            var info = H5G_info_t()
            try place.check(H5Gget_info(id, &info), "list members")
            return try (0..<info.nlinks).map { index in
                let length = try place.check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0,
                                                                kh5_p_default()), "list members")
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                try place.check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count,
                                                   kh5_p_default()), "list members")
                return string(fromC: buffer)
            }
        }
    }

    /// Creates a dataset of `shape`, to be filled by `write` calls.
    public func createDataset(_ name: String, type: HDF5ElementType, shape: [Int],
                              storage: HDF5Storage = HDF5Storage()) throws -> HDF5Dataset {
        try withID { id in
            let place = self.place.child(name)
            try Self.validate(type: type, shape: shape, storage: storage, place)
            return try withTemporary(H5Pcreate(kh5_p_dataset_create()), place, "create dataset", close: H5Pclose) { dcpl in
                try Self.configure(dcpl, storage, place)
                var dims = shape.map { hsize_t($0) }
                return try withTemporary(H5Screate_simple(Int32(shape.count), &dims, nil), place, "create dataset",
                                         close: H5Sclose) { space in
                    let create = { (fileType: hid_t) in
                        try place.check(H5Dcreate2(id, name, fileType, space, kh5_p_default(), dcpl, kh5_p_default()),
                                        "create dataset")
                    }
                    let dataset = type == .string ? try withStringType(place, create) : try create(type.fileType)
                    return try HDF5Dataset(opened: HDF5Handle(dataset, closer: H5Dclose), at: place)
                }
            }
        }
    }

    /// Creates a dataset holding `values` (shape defaults to one dimension).
    @discardableResult
    public func createDataset<T: HDF5Element>(_ name: String, values: [T], shape: [Int]? = nil,
                                              storage: HDF5Storage = HDF5Storage()) throws -> HDF5Dataset {
        let dataset = try createDataset(name, type: T.hdf5Type, shape: shape ?? [values.count], storage: storage)
        try dataset.write(values)
        return dataset
    }

    /// Creates a one-dimensional dataset of variable-length UTF-8 strings.
    @discardableResult
    public func createDataset(_ name: String, strings: [String], storage: HDF5Storage = HDF5Storage()) throws -> HDF5Dataset {
        let dataset = try createDataset(name, type: .string, shape: [strings.count], storage: storage)
        try dataset.writeStrings(strings)
        return dataset
    }

    /// Opens a dataset. `chunkCacheBytes` sizes its chunk cache; 0 makes reads
    /// of whole uncompressed chunks go straight into the caller's buffer, which
    /// suits random access where a chunk is rarely read twice in a row.
    public func dataset(_ name: String, chunkCacheBytes: Int? = nil) throws -> HDF5Dataset {
        try withID { id in
            let place = try self.existingChild(id, name)
            return try withTemporary(H5Pcreate(kh5_p_dataset_access()), place, "open dataset", close: H5Pclose) { dapl in
                if let chunkCacheBytes {
                    try place.check(H5Pset_chunk_cache(dapl, 521, chunkCacheBytes, 0.75), "set the chunk cache")
                }
                let dataset = try place.check(H5Dopen2(id, name, dapl), "open dataset")
                return try HDF5Dataset(opened: HDF5Handle(dataset, closer: H5Dclose), at: place)
            }
        }
    }

    private func existingChild(_ id: hid_t, _ name: String) throws -> HDF5Place {
        let place = self.place.child(name)
        guard try self.place.check(H5Lexists(id, name, kh5_p_default()), "look up '\(name)'") > 0 else {
            throw place.fail("does not exist")
        }
        return place
    }

    private static func validate(type: HDF5ElementType, shape: [Int], storage: HDF5Storage, _ place: HDF5Place) throws {
        if case .other = type { throw place.fail("cannot create a dataset of \(type)") }
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else { throw place.fail("invalid shape \(shape)") }
        if let chunk = storage.chunk {
            guard chunk.count == shape.count, zip(chunk, shape).allSatisfy({ $0 >= 1 && $0 <= max($1, 1) }) else {
                throw place.fail("chunk \(chunk) does not fit shape \(shape)")
            }
        }
        if case let .gzip(level, _) = storage.compression {
            guard storage.chunk != nil else { throw place.fail("compression needs a chunk shape") }
            guard (0...9).contains(level) else { throw place.fail("gzip level \(level) is not in 0...9") }
        }
    }

    private static func configure(_ dcpl: hid_t, _ storage: HDF5Storage, _ place: HDF5Place) throws {
        // No modification times in object headers: same content, same bytes.
        try place.check(H5Pset_obj_track_times(dcpl, false), "create dataset")
        if let chunk = storage.chunk {
            var dims = chunk.map { hsize_t($0) }
            try place.check(H5Pset_chunk(dcpl, Int32(chunk.count), &dims), "set chunking")
        }
        if case let .gzip(level, shuffle) = storage.compression {
            // Shuffle first: grouping bytes by significance is what helps deflate.
            if shuffle { try place.check(H5Pset_shuffle(dcpl), "set the shuffle filter") }
            try place.check(H5Pset_deflate(dcpl, UInt32(level)), "set gzip compression")
        }
    }
}
