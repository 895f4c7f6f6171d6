internal import CHDF5

/// Element types Keepers stores. Numbers are written little-endian whatever
/// the host, so a file's bytes do not depend on the machine that wrote it.
public enum HDF5ElementType: Equatable, Sendable, CustomStringConvertible {
    case uint8, int32, float32, float64
    /// Variable-length UTF-8 strings (h5py's `h5py.string_dtype()`).
    case string
    /// Anything else found in a file, described for error messages.
    case other(String)

    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .int32: return "int32"
        case .float32: return "float32"
        case .float64: return "float64"
        case .string: return "variable-length string"
        case let .other(text): return text
        }
    }

    /// The type a value has in memory on this host.
    var memoryType: hid_t {
        switch self {
        case .uint8: return kh5_native_uint8()
        case .int32: return kh5_native_int32()
        case .float32: return kh5_native_float()
        case .float64: return kh5_native_double()
        case .string, .other: preconditionFailure("\(self) has no fixed memory type")
        }
    }

    /// The type values get in the file.
    var fileType: hid_t {
        switch self {
        case .uint8: return kh5_std_u8le()
        case .int32: return kh5_std_i32le()
        case .float32: return kh5_ieee_f32le()
        case .float64: return kh5_ieee_f64le()
        case .string, .other: preconditionFailure("\(self) has no fixed file type")
        }
    }

    /// Classifies an HDF5 datatype identifier. A type HDF5 cannot describe
    /// (its calls return 0 or H5T_NO_CLASS) becomes `.other`, which every
    /// read and write refuses, so these calls need no separate status check.
    init(_ type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (signed, size) {
            case (false, 1): self = .uint8
            case (true, 4): self = .int32
            default: self = .other("\(signed ? "int" : "uint")\(size * 8)")
            }
        case H5T_FLOAT:
            self = size == 4 ? .float32 : size == 8 ? .float64 : .other("float\(size * 8)")
        case H5T_STRING:
            self = H5Tis_variable_str(type) > 0 ? .string : .other("fixed-length string of \(size) bytes")
        default:
            self = .other("HDF5 type class \(H5Tget_class(type).rawValue)")
        }
    }
}

/// A Swift number type that maps to one HDF5 element type.
public protocol HDF5Element: Sendable {
    static var hdf5Type: HDF5ElementType { get }
}

extension UInt8: HDF5Element { public static var hdf5Type: HDF5ElementType { .uint8 } }
extension Int32: HDF5Element { public static var hdf5Type: HDF5ElementType { .int32 } }
extension Float: HDF5Element { public static var hdf5Type: HDF5ElementType { .float32 } }
extension Double: HDF5Element { public static var hdf5Type: HDF5ElementType { .float64 } }

/// How a dataset's chunks are compressed.
public enum HDF5Compression: Equatable, Sendable {
    case none
    /// Deflate at `level` (1-9), optionally after the byte-shuffle filter.
    case gzip(level: Int, shuffle: Bool)
}

/// Layout of a new dataset. Compression needs chunks.
public struct HDF5Storage: Equatable, Sendable {
    /// Chunk shape (same rank as the dataset); nil stores the data contiguously.
    public var chunk: [Int]?
    public var compression: HDF5Compression

    public init(chunk: [Int]? = nil, compression: HDF5Compression = .none) {
        self.chunk = chunk
        self.compression = compression
    }
}

/// A filter found on an existing dataset.
public enum HDF5Filter: Equatable, Sendable {
    case gzip(level: Int)
    case shuffle
    case other(id: Int, name: String)
}

/// A small value stored as an attribute. Integers are stored as int64.
public enum HDF5AttributeValue: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case ints([Int])
    case doubles([Double])
}
