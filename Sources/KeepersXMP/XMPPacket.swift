internal import CExempi
import Foundation
import KeepersCore

/// One XMP packet in memory (Exempi, Adobe's XMP Toolkit behind a C API).
/// Parsing and serialising keep every property of every namespace, so a
/// sidecar that darktable, Lightroom or digiKam wrote loses nothing when
/// Keepers changes one field of it.
public final class XMPPacket {
    /// xmp:Rating, xmp:Label: http://ns.adobe.com/xap/1.0/
    public static let xmpNamespace = "http://ns.adobe.com/xap/1.0/"
    /// Keepers' own fields (docs/formats.md).
    public static let keepersNamespace = "https://github.com/keepers-photo/ns/1.0/"

    private let pointer: XmpPtr
    /// The file the packet belongs to, for error messages.
    public let path: String

    private static let started: Bool = {
        guard xmp_init() else { return false }
        var prefix = xmp_string_new()
        defer { xmp_string_free(prefix) }
        return xmp_register_namespace(keepersNamespace, "keepers", prefix)
    }()

    private init(_ pointer: XmpPtr, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { xmp_free(pointer) }

    /// An empty packet, for the file at `path`.
    public convenience init(path: String) throws {
        guard Self.started, let made = xmp_new_empty() else { throw KeepersError.format(path: path, reason: "Exempi failed to start") }
        self.init(made, path: path)
    }

    /// Parses a sidecar's bytes.
    public convenience init(parsing data: Data, path: String) throws {
        try self.init(path: path)
        let parsed = data.withUnsafeBytes { raw in
            raw.withMemoryRebound(to: CChar.self) { xmp_parse(pointer, $0.baseAddress, $0.count) }
        }
        guard parsed else { throw KeepersError.format(path: path, reason: "not a valid XMP packet (Exempi error \(xmp_get_error()))") }
    }

    /// The packet embedded in a photo (JPEG APP1, TIFF, PNG...), or nil when
    /// it has none. Reads only the metadata segments, never the pixels.
    public static func embedded(in url: URL) throws -> XMPPacket? {
        guard started else { throw KeepersError.format(path: url.path, reason: "Exempi failed to start") }
        guard let file = xmp_files_open_new(url.path, XmpOpenFileOptions(XMP_OPEN_READ.rawValue | XMP_OPEN_ONLYXMP.rawValue)) else {
            return nil  // no handler for this format, or unreadable: no embedded packet to take
        }
        defer {
            xmp_files_close(file, XMP_CLOSE_NOOPTION)
            xmp_files_free(file)
        }
        guard let packet = xmp_files_get_new_xmp(file) else { return nil }
        return XMPPacket(packet, path: url.path)
    }

    public subscript(namespace: String, name: String) -> String? {
        let value = xmp_string_new()
        defer { xmp_string_free(value) }
        guard xmp_get_property(pointer, namespace, name, value, nil), let text = xmp_string_cstr(value) else { return nil }
        return String(cString: text)
    }

    /// Sets (or, with nil, removes) a simple property.
    public func set(_ namespace: String, _ name: String, _ value: String?) throws {
        let done = if let value { xmp_set_property(pointer, namespace, name, value, 0) } else {
            self[namespace, name] == nil || xmp_delete_property(pointer, namespace, name)
        }
        guard done else { throw KeepersError.format(path: path, reason: "cannot set \(name) (Exempi error \(xmp_get_error()))") }
    }

    /// The packet as a sidecar file: an XML declaration and the x:xmpmeta
    /// element, without the <?xpacket?> wrapper (as darktable and
    /// Lightroom write theirs).
    public func sidecarBytes() throws -> Data {
        let buffer = xmp_string_new()
        defer { xmp_string_free(buffer) }
        guard xmp_serialize(pointer, buffer, UInt32(XMP_SERIAL_OMITPACKETWRAPPER), 0),
              let text = xmp_string_cstr(buffer) else {
            throw KeepersError.format(path: path, reason: "cannot serialise XMP (Exempi error \(xmp_get_error()))")
        }
        return Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8) + Data(bytes: text, count: strlen(text))
    }
}
