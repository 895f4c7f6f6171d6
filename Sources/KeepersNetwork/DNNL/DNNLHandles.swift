import CDNNL

// One small class per oneDNN handle kind. oneDNN's handles all import as
// OpaquePointer, so distinct Swift types are what stops a stream from being
// passed where an engine is expected; deinit releases the C object.

final class Engine {
    let handle: OpaquePointer

    init() throws {
        var engine: OpaquePointer?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
        handle = engine!
    }

    deinit { dnnl_engine_destroy(handle) }
}

final class Stream {
    let handle: OpaquePointer
    private let engine: Engine  // a stream must not outlive its engine

    init(engine: Engine) throws {
        var stream: OpaquePointer?
        try check(dnnl_stream_create(&stream, engine.handle, dnnl_stream_default_flags.rawValue), "stream_create")
        handle = stream!
        self.engine = engine
    }

    func wait() throws { try check(dnnl_stream_wait(handle), "stream_wait") }

    deinit { dnnl_stream_destroy(handle) }
}

/// Primitive attributes; here only used to fuse ReLU into a convolution as an
/// eltwise post-op, which saves a full pass over the convolution's output.
final class PrimitiveAttributes {
    let handle: OpaquePointer

    init() throws {
        var attributes: OpaquePointer?
        try check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
        handle = attributes!
    }

    static func fusedReLU() throws -> PrimitiveAttributes {
        let attributes = try PrimitiveAttributes()
        var postOps: OpaquePointer?
        try check(dnnl_post_ops_create(&postOps), "post_ops_create")
        defer { dnnl_post_ops_destroy(postOps) }
        try check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
        try check(dnnl_primitive_attr_set_post_ops(attributes.handle, postOps), "primitive_attr_set_post_ops")
        return attributes
    }

    /// Makes a reorder add into its destination instead of overwriting it, for
    /// summing per-image weight gradients.
    static func accumulate() throws -> PrimitiveAttributes {
        let attributes = try PrimitiveAttributes()
        var postOps: OpaquePointer?
        try check(dnnl_post_ops_create(&postOps), "post_ops_create")
        defer { dnnl_post_ops_destroy(postOps) }
        try check(dnnl_post_ops_append_sum(postOps, 1), "post_ops_append_sum")
        try check(dnnl_primitive_attr_set_post_ops(attributes.handle, postOps), "primitive_attr_set_post_ops")
        return attributes
    }

    deinit { dnnl_primitive_attr_destroy(handle) }
}

/// What oneDNN chose for one operation: implementation and memory formats.
final class PrimitiveDescriptor {
    let handle: OpaquePointer
    private let engine: Engine  // oneDNN objects must not outlive their engine

    /// `operation` is one of oneDNN's op descriptors (convolution, pooling, eltwise).
    init<Operation>(
        _ operation: Operation, attributes: PrimitiveAttributes? = nil, engine: Engine,
        hint: PrimitiveDescriptor? = nil
    ) throws {
        var descriptor: OpaquePointer?
        var operation = operation
        let status = withUnsafePointer(to: &operation) {
            dnnl_primitive_desc_create(&descriptor, $0, attributes?.handle, engine.handle, hint?.handle)
        }
        try check(status, "primitive_desc_create(\(Operation.self))")
        handle = descriptor!
        self.engine = engine
    }

    /// A reorder from one memory layout to another.
    init(
        reorderFrom source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, engine: Engine,
        attributes: PrimitiveAttributes? = nil
    ) throws {
        var descriptor: OpaquePointer?
        var source = source, destination = destination
        try check(
            dnnl_reorder_primitive_desc_create(
                &descriptor, &source, engine.handle, &destination, engine.handle, attributes?.handle),
            "reorder_primitive_desc_create")
        handle = descriptor!
        self.engine = engine
    }

    func memoryDesc(_ query: dnnl_query_t, index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(handle, query, index).pointee
    }

    /// oneDNN's name for the kernel it picked (e.g. "jit:avx2"), for profiling.
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard (try? check(dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str, 0, &name), "query")) != nil,
            let name
        else { return "?" }
        return String(cString: name)
    }

    deinit { dnnl_primitive_desc_destroy(handle) }
}

/// A compiled primitive. Creating one JIT-compiles it, so plans create each
/// primitive once per input shape and reuse it for every step.
final class Primitive {
    let handle: OpaquePointer
    let descriptor: PrimitiveDescriptor

    init(_ descriptor: PrimitiveDescriptor) throws {
        var primitive: OpaquePointer?
        try check(dnnl_primitive_create(&primitive, descriptor.handle), "primitive_create")
        handle = primitive!
        self.descriptor = descriptor
    }

    func execute(_ arguments: [dnnl_exec_arg_t], on stream: Stream) throws {
        try check(
            dnnl_primitive_execute(handle, stream.handle, Int32(arguments.count), arguments),
            "primitive_execute(\(descriptor.implementation))")
    }

    deinit { dnnl_primitive_destroy(handle) }
}

/// A memory object: a layout plus a data pointer. Plans create these without
/// storage and bind them to arena buffers, so buffers are shared across shapes.
final class Memory {
    let handle: OpaquePointer
    let desc: dnnl_memory_desc_t
    private let engine: Engine

    init(_ desc: dnnl_memory_desc_t, engine: Engine, data: UnsafeMutableRawPointer? = nil) throws {
        var memory: OpaquePointer?
        var desc = desc
        try check(dnnl_memory_create(&memory, &desc, engine.handle, data), "memory_create")
        handle = memory!
        self.desc = desc
        self.engine = engine
    }

    var byteCount: Int { Layout.byteCount(desc) }

    func bind(_ data: UnsafeMutableRawPointer) throws {
        try check(dnnl_memory_set_data_handle(handle, data), "memory_set_data_handle")
    }

    deinit { dnnl_memory_destroy(handle) }
}
