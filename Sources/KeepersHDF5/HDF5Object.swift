internal import CHDF5

/// Something in an HDF5 file that has a name and attributes: the file
/// itself (its root group), a group, or a dataset.
public class HDF5Object: @unchecked Sendable {
    let handle: HDF5Handle
    let place: HDF5Place

    /// The file this object lives in, as given when it was opened.
    public var filePath: String { place.path }
    /// The object's path inside the file ("/images"); empty for the file.
    public var name: String { place.object }

    init(handle: HDF5Handle, place: HDF5Place) {
        self.handle = handle
        self.place = place
    }

    /// Runs `body` under the library lock with this object's open identifier.
    func withID<T>(_ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            guard handle.isOpen else { throw place.fail("used after its file was closed") }
            return try body(handle.id)
        }
    }
}

// MARK: - Attributes

extension HDF5Object {
    /// Sets (or replaces) an attribute.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try withID { id in
            let place = self.place
            if try place.check(H5Aexists(id, name), "look up attribute '\(name)'") > 0 {
                try place.check(H5Adelete(id, name), "replace attribute '\(name)'")
            }
            switch value {
            case let .int(number): try writeAttribute(id, name, [Int64(number)], scalar: true, .int64)
            case let .ints(numbers): try writeAttribute(id, name, numbers.map(Int64.init), scalar: false, .int64)
            case let .double(number): try writeAttribute(id, name, [number], scalar: true, .float64)
            case let .doubles(numbers): try writeAttribute(id, name, numbers, scalar: false, .float64)
            case let .string(text):
                try withStringType(place) { type in
                    try withAttribute(id, name, type: type, space: H5Screate(H5S_SCALAR)) { attribute in
                        try text.withCString { cString in
                            var pointer: UnsafePointer<CChar>? = cString
                            try place.check(H5Awrite(attribute, type, &pointer), "write attribute '\(name)'")
                        }
                    }
                }
            }
        }
    }

    public func hasAttribute(_ name: String) throws -> Bool {
        try withID { id in try place.check(H5Aexists(id, name), "look up attribute '\(name)'") > 0 }
    }

    /// Reads an attribute of any integer, float or string type (including
    /// fixed-length strings, as other tools write them).
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try withID { id in
            let place = self.place
            guard try place.check(H5Aexists(id, name), "look up attribute '\(name)'") > 0 else {
                throw place.fail("has no attribute '\(name)'")
            }
            let opened = H5Aopen(id, name, kh5_p_default())
            return try withTemporary(opened, place, "open attribute '\(name)'", close: H5Aclose) { attribute in
                try withTemporary(H5Aget_space(attribute), place, "read attribute '\(name)'", close: H5Sclose) { space in
                    try withTemporary(H5Aget_type(attribute), place, "read attribute '\(name)'", close: H5Tclose) { type in
                        let what = "read attribute '\(name)'"
                        let count = Int(try place.check(H5Sget_simple_extent_npoints(space), what))
                        let scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR
                        switch H5Tget_class(type) {
                        case H5T_INTEGER:
                            var values = [Int64](repeating: 0, count: count)
                            try place.check(H5Aread(attribute, kh5_native_int64(), &values), what)
                            return scalar ? .int(Int(values[0])) : .ints(values.map { Int($0) })
                        case H5T_FLOAT:
                            var values = [Double](repeating: 0, count: count)
                            try place.check(H5Aread(attribute, kh5_native_double(), &values), what)
                            return scalar ? .double(values[0]) : .doubles(values)
                        case H5T_STRING where count == 1:
                            return .string(try readStringAttribute(attribute, type: type, space: space, what))
                        default:
                            throw place.fail("attribute '\(name)' has a type Keepers does not read")
                        }
                    }
                }
            }
        }
    }

    public func intAttribute(_ name: String) throws -> Int {
        guard case let .int(value) = try attribute(name) else { throw place.fail("attribute '\(name)' is not an integer") }
        return value
    }

    public func stringAttribute(_ name: String) throws -> String {
        guard case let .string(value) = try attribute(name) else { throw place.fail("attribute '\(name)' is not a string") }
        return value
    }

    public func doubleAttribute(_ name: String) throws -> Double {
        switch try attribute(name) {
        case let .double(value): return value
        case let .int(value): return Double(value)
        default: throw place.fail("attribute '\(name)' is not a number")
        }
    }

    private enum NumberKind { case int64, float64 }

    private func writeAttribute<T>(_ id: hid_t, _ name: String, _ values: [T], scalar: Bool, _ kind: NumberKind) throws {
        let (fileType, memoryType) = kind == .int64 ? (kh5_std_i64le(), kh5_native_int64()) : (kh5_ieee_f64le(), kh5_native_double())
        var dims = [hsize_t(values.count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        try withAttribute(id, name, type: fileType, space: space) { attribute in
            let status = values.withUnsafeBytes { H5Awrite(attribute, memoryType, $0.baseAddress) }
            try place.check(status, "write attribute '\(name)'")
        }
    }

    private func withAttribute(_ id: hid_t, _ name: String, type: hid_t, space: hid_t, _ body: (hid_t) throws -> Void) throws {
        let what = "create attribute '\(name)'"
        try withTemporary(space, place, what, close: H5Sclose) { space in
            try withTemporary(H5Acreate2(id, name, type, space, kh5_p_default(), kh5_p_default()), place, what,
                              close: H5Aclose, body)
        }
    }

    private func readStringAttribute(_ attribute: hid_t, type: hid_t, space: hid_t, _ what: String) throws -> String {
        if H5Tis_variable_str(type) > 0 {
            return try withStringType(place) { memoryType in
                var pointer: UnsafeMutablePointer<CChar>?
                try place.check(H5Aread(attribute, memoryType, &pointer), what)
                defer { H5Dvlen_reclaim(memoryType, space, kh5_p_default(), &pointer) }
                return pointer.map { String(cString: $0) } ?? ""
            }
        }
        let size = H5Tget_size(type)
        guard size > 0 else { throw place.fail("\(what): cannot read the string's size") }
        var bytes = [UInt8](repeating: 0, count: size)
        try place.check(H5Aread(attribute, type, &bytes), what)
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Runs `body` with a variable-length UTF-8 string type.
@discardableResult
func withStringType<T>(_ place: HDF5Place, _ body: (hid_t) throws -> T) throws -> T {
    try withTemporary(H5Tcopy(kh5_c_s1()), place, "make a string type", close: H5Tclose) { type in
        try place.check(H5Tset_size(type, kh5_variable()), "make a string type")
        try place.check(H5Tset_cset(type, H5T_CSET_UTF8), "make a string type")
        return try body(type)
    }
}
