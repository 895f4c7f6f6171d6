internal import CDNNL

// One small class per oneDNN handle kind. oneDNN's handles all import as
// OpaquePointer, so distinct Swift types are what stops a stream from being
// passed where an engine is expected; deinit releases the C object.

package final class Engine {
    let handle: OpaquePointer

    package init() throws {
        var engine: OpaquePointer?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
        handle = engine!
    }

    deinit { dnnl_engine_destroy(handle) }
}

package final class Stream {
    let handle: OpaquePointer
    private let engine: Engine  // a stream must not outlive its engine

    package init(engine: Engine) throws {
        var stream: OpaquePointer?
        try check(dnnl_stream_create(&stream, engine.handle, dnnl_stream_default_flags.rawValue), "stream_create")
        handle = stream!
        self.engine = engine
    }

    package func wait() throws { try check(dnnl_stream_wait(handle), "stream_wait") }

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
        reorderFrom source: Layout, to destination: Layout, engine: Engine, attributes: PrimitiveAttributes? = nil
    ) throws {
        var descriptor: OpaquePointer?
        var source = source.desc, destination = destination.desc
        try check(
            dnnl_reorder_primitive_desc_create(
                &descriptor, &source, engine.handle, &destination, engine.handle, attributes?.handle),
            "reorder_primitive_desc_create")
        handle = descriptor!
        self.engine = engine
    }

    /// The format oneDNN chose for one of the operation's tensors.
    func layout(of tensor: Tensor) -> Layout {
        let query: dnnl_query_t
        switch tensor {
        case .source: query = dnnl_query_src_md
        case .weights: query = dnnl_query_weights_md
        case .destination: query = dnnl_query_dst_md
        case .workspace: query = dnnl_query_workspace_md
        case .diffWeights: query = dnnl_query_diff_weights_md
        }
        return Layout(dnnl_primitive_desc_query_md(handle, query, 0).pointee)
    }

    enum Tensor { case source, weights, destination, workspace, diffWeights }

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
package final class Memory {
    let handle: OpaquePointer
    let layout: Layout
    private let engine: Engine

    /// Over `data`, or with no storage until `bind` when nil.
    package convenience init(_ layout: Layout, engine: Engine, data: UnsafeMutableRawPointer?) throws {
        try self.init(layout, engine: engine, handle: data)
    }

    /// With storage of its own, which oneDNN allocates and frees.
    static func allocated(_ layout: Layout, engine: Engine) throws -> Memory {
        try Memory(layout, engine: engine, handle: kp_dnnl_memory_allocate())
    }

    private init(_ layout: Layout, engine: Engine, handle data: UnsafeMutableRawPointer?) throws {
        var memory: OpaquePointer?
        var desc = layout.desc
        try check(dnnl_memory_create(&memory, &desc, engine.handle, data), "memory_create")
        handle = memory!
        self.layout = layout
        self.engine = engine
    }

    /// Where the data lives now (storage of its own, or what was bound last).
    var dataPointer: UnsafeMutableRawPointer {
        var data: UnsafeMutableRawPointer?
        _ = dnnl_memory_get_data_handle(handle, &data)
        return data!
    }

    func bind(_ data: UnsafeMutableRawPointer) throws {
        try check(dnnl_memory_set_data_handle(handle, data), "memory_set_data_handle")
    }

    deinit { dnnl_memory_destroy(handle) }
}

/// Which argument of a primitive a memory object is.
struct Argument {
    let value: Int32
    static let source = Argument(value: DNNL_ARG_SRC)
    static let destination = Argument(value: DNNL_ARG_DST)
    static let weights = Argument(value: DNNL_ARG_WEIGHTS)
    static let bias = Argument(value: DNNL_ARG_BIAS)
    static let workspace = Argument(value: DNNL_ARG_WORKSPACE)
    static let diffSource = Argument(value: DNNL_ARG_DIFF_SRC)
    static let diffDestination = Argument(value: DNNL_ARG_DIFF_DST)
    static let diffWeights = Argument(value: DNNL_ARG_DIFF_WEIGHTS)
    static let diffBias = Argument(value: DNNL_ARG_DIFF_BIAS)
    static let from = Argument(value: DNNL_ARG_FROM)
    static let to = Argument(value: DNNL_ARG_TO)
}

/// One primitive call with its arguments fixed when it is planned.
package struct Execution {
    let primitive: Primitive
    private let arguments: [dnnl_exec_arg_t]
    private let memories: [Memory]  // the objects `arguments` points at, kept alive

    init(_ primitive: Primitive, _ arguments: [(Argument, Memory)]) {
        self.primitive = primitive
        self.arguments = arguments.map { dnnl_exec_arg_t(arg: $0.0.value, memory: $0.1.handle) }
        memories = arguments.map(\.1)
    }

    /// Queues the call; `stream.wait()` waits for it.
    package func run(on stream: Stream) throws { try primitive.execute(arguments, on: stream) }
}

/// Threads oneDNN's OpenMP runtime uses, per calling thread (shim.h says why
/// this is not a oneDNN call).
func setComputeThreads(_ count: Int) { omp_set_num_threads(Int32(count)) }
