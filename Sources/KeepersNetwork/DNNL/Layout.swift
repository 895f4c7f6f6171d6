import CDNNL

/// Memory descriptors: logical dims plus a physical format. `any` lets a
/// primitive pick its preferred (blocked) format; plain formats are used only
/// at the edges, where Swift code reads or writes the numbers.
enum Layout {
    /// Activations: (N, C, H, W) in the order of `tag`.
    static func tensor(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var desc = dnnl_memory_desc_t()
        try check(
            dnnl_memory_desc_init_by_tag(&desc, Int32(dims.count), dims.map(Int64.init), dnnl_f32, tag),
            "memory_desc_init_by_tag(\(dims))")
        return desc
    }

    static func plain(_ dims: [Int]) throws -> dnnl_memory_desc_t {
        let tag: dnnl_format_tag_t
        switch dims.count {
        case 1: tag = dnnl_a
        case 2: tag = dnnl_ab
        case 4: tag = dnnl_abcd  // nchw for data, oihw for weights
        default: throw DNNLError(call: "Layout.plain", status: "unsupported rank \(dims.count)")
        }
        return try tensor(dims, tag)
    }

    static func any(_ dims: [Int]) throws -> dnnl_memory_desc_t { try tensor(dims, dnnl_format_tag_any) }

    static func same(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var a = a, b = b
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    static func byteCount(_ desc: dnnl_memory_desc_t) -> Int {
        var desc = desc
        return dnnl_memory_desc_get_size(&desc)
    }

    /// The same layout with batch `n`: a view of images of a batch whose
    /// batch dimension is outermost (true of nchw and nChw8c-style formats),
    /// so image k starts k * byteCount(withBatch(desc, 1)) bytes in.
    static func withBatch(_ desc: dnnl_memory_desc_t, _ n: Int) throws -> dnnl_memory_desc_t {
        var result = desc
        let strides = withUnsafeBytes(of: desc.format_desc.blocking.strides) { Array($0.bindMemory(to: Int64.self)) }
        guard desc.format_kind == dnnl_blocked,
              desc.offset0 == 0, strides[0] == strides.prefix(Int(desc.ndims)).max()
        else { throw DNNLError(call: "Layout.withBatch", status: "batch is not the outermost dimension") }
        result.dims.0 = Int64(n)
        result.padded_dims.0 = Int64(n)
        return result
    }

    /// Convolution and pooling geometry: 2 spatial dims.
    static let one: [Int64] = [1, 1]
    static let two: [Int64] = [2, 2]
    static let zero: [Int64] = [0, 0]
}
