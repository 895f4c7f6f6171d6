internal import CHDF5
import Foundation

/// An open HDF5 file; as a group it is the root group "/". Objects opened
/// from it stay usable until `close()` or until the file and they are released.
public final class HDF5File: HDF5Group, @unchecked Sendable {
    /// Creates (or truncates) a file for writing.
    public static func create(at url: URL) throws -> HDF5File {
        try HDF5Library.locked {
            let place = HDF5Place(path: url.path, object: "")
            let id = try withTemporary(H5Pcreate(kh5_p_file_create()), place, "create file", close: H5Pclose) { fcpl in
                // The root group too gets no modification time: same content, same bytes.
                try place.check(H5Pset_obj_track_times(fcpl, false), "create file")
                return try place.check(H5Fcreate(url.path, kh5_f_acc_trunc(), fcpl, kh5_p_default()), "create file")
            }
            return HDF5File(handle: HDF5Handle(id, closer: H5Fclose), place: place)
        }
    }

    /// Opens an existing file, read-only unless `writable`.
    public static func open(at url: URL, writable: Bool = false) throws -> HDF5File {
        try HDF5Library.locked {
            let place = HDF5Place(path: url.path, object: "")
            guard FileManager.default.fileExists(atPath: url.path) else { throw place.fail("no such file") }
            let flags = writable ? kh5_f_acc_rdwr() : kh5_f_acc_rdonly()
            let id = try place.check(H5Fopen(url.path, flags, kh5_p_default()), "open file")
            return HDF5File(handle: HDF5Handle(id, closer: H5Fclose), place: place)
        }
    }

    /// Closes every object still open in this file, then the file, and
    /// reports a failure to write it out. Afterwards the file on disk is
    /// complete (ready for fsync and rename) and its objects are unusable.
    public func close() throws {
        try HDF5Library.locked {
            guard handle.isOpen else { return }
            let kinds = UInt32(H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL)
            let count = try place.check(H5Fget_obj_count(handle.id, kinds), "list open objects")
            var ids = [hid_t](repeating: -1, count: count)
            let listed = try place.check(H5Fget_obj_ids(handle.id, kinds, count, &ids), "list open objects")
            for id in ids.prefix(listed) {
                try place.check(H5Iget_type(id) == H5I_ATTR ? H5Aclose(id) : H5Oclose(id), "close an open object")
            }
            try handle.close(place)
        }
    }
}
