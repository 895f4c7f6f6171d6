internal import CDNNL

/// A oneDNN memory descriptor: logical dims plus a physical format. `any`
/// lets a primitive pick its preferred (blocked) format; plain formats are
/// used only at the edges, where Swift code reads or writes the numbers.
package struct Layout {
    let desc: dnnl_memory_desc_t

    init(_ desc: dnnl_memory_desc_t) { self.desc = desc }

    /// Row-major: (N, C, H, W) for data, (O, I, kh, kw) or (G, O, I, kh, kw) for weights, or a vector.
    package static func plain(_ dims: [Int]) throws -> Layout {
        let tag: dnnl_format_tag_t
        switch dims.count {
        case 1: tag = dnnl_a
        case 2: tag = dnnl_ab
        case 4: tag = dnnl_abcd  // nchw for data, oihw for weights
        case 5: tag = dnnl_abcde  // goihw: grouped (depthwise) weights
        default: throw DNNLError(call: "Layout.plain", status: "unsupported rank \(dims.count)")
        }
        return try Layout(dims, tag)
    }

    /// Whatever format the primitive that uses it prefers.
    static func any(_ dims: [Int]) throws -> Layout { try Layout(dims, dnnl_format_tag_any) }

    private init(_ dims: [Int], _ tag: dnnl_format_tag_t) throws {
        var desc = dnnl_memory_desc_t()
        try check(
            dnnl_memory_desc_init_by_tag(&desc, Int32(dims.count), dims.map(Int64.init), dnnl_f32, tag),
            "memory_desc_init_by_tag(\(dims))")
        self.desc = desc
    }

    /// Which formats a layer asks oneDNN for: `chosen` lets it pick (the
    /// plans), `plain` fixes row-major everywhere (single layers in tests).
    package enum Formats: Sendable {
        case chosen, plain

        func layout(_ dims: [Int]) throws -> Layout { self == .plain ? try .plain(dims) : try .any(dims) }
    }

    /// The logical dims, outermost first.
    var dims: [Int] {
        withUnsafeBytes(of: desc.dims) { Array($0.bindMemory(to: Int64.self).prefix(Int(desc.ndims))) }.map(Int.init)
    }

    /// Same dims and the same physical format.
    func matches(_ other: Layout) -> Bool {
        var (a, b) = (desc, other.desc)
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    package var byteCount: Int {
        var desc = desc
        return dnnl_memory_desc_get_size(&desc)
    }

    /// The same layout with batch `n`: a view of images of a batch whose
    /// batch dimension is outermost (true of nchw and nChw8c-style formats),
    /// so image k starts k * byteCount(withBatch(1)) bytes in.
    func withBatch(_ n: Int) throws -> Layout {
        var result = desc
        let strides = withUnsafeBytes(of: desc.format_desc.blocking.strides) { Array($0.bindMemory(to: Int64.self)) }
        guard desc.format_kind == dnnl_blocked,
              desc.offset0 == 0, strides[0] == strides.prefix(Int(desc.ndims)).max()
        else { throw DNNLError(call: "Layout.withBatch", status: "batch is not the outermost dimension") }
        result.dims.0 = Int64(n)
        result.padded_dims.0 = Int64(n)
        return Layout(result)
    }
}
