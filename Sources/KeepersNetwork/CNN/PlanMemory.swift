/// The memory objects of one ShapePlan and where their data lives. Data is
/// bound just before each run, because arena slots can move when a larger
/// shape arrives and the input pointer changes every call.
final class PlanMemory {
    /// Where a memory object's data lives. Byte offsets address one image of a batch.
    enum Binding {
        case slot(Int, byteOffset: Int)
        /// Floats into the flat parameter vector, or the gradient vector parallel to it.
        case parameters(offset: Int)
        case gradients(offset: Int)
        case input(byteOffset: Int)
        /// Storage of its own: small copies in a primitive's preferred format.
        case owned
    }

    let engine: Engine
    /// Bytes this shape needs in each arena slot.
    private(set) var slotBytes: [Int] = []
    private var bindings: [(memory: Memory, binding: Binding)] = []
    private var bindingOf: [ObjectIdentifier: Binding] = [:]

    init(engine: Engine) { self.engine = engine }

    func memory(_ layout: Layout, _ binding: Binding) throws -> Memory {
        let memory: Memory
        if case .owned = binding {
            memory = try .allocated(layout, engine: engine)
        } else {
            memory = try Memory(layout, engine: engine, data: nil)
        }
        bindings.append((memory, binding))
        bindingOf[ObjectIdentifier(memory)] = binding
        return memory
    }

    /// `parts` memories of `layout` side by side in a new slot (the last one).
    func slot(_ layout: Layout, parts: Int = 1) throws -> [Memory] {
        let bytes = layout.byteCount
        slotBytes.append(bytes * parts)
        return try (0..<parts).map { try memory(layout, .slot(slotBytes.count - 1, byteOffset: $0 * bytes)) }
    }

    /// `parts` memories of `layout` over the same bytes of a new slot (the
    /// last one): for a tensor that each part consumes before the next part
    /// writes its own, as inference's image-by-image stages do.
    func sharedSlot(_ layout: Layout, parts: Int) throws -> [Memory] {
        slotBytes.append(layout.byteCount)
        return try (0..<parts).map { _ in try memory(layout, .slot(slotBytes.count - 1, byteOffset: 0)) }
    }

    /// Image-sized views (`layout`, a part of the batch) of a whole-batch memory.
    func views(of whole: Memory, as layout: Layout, parts: Int) throws -> [Memory] {
        guard parts > 1 else { return [whole] }
        let bytes = layout.byteCount
        return try (0..<parts).map { part in
            switch bindingOf[ObjectIdentifier(whole)]! {
            case let .slot(slot, byteOffset): return try memory(layout, .slot(slot, byteOffset: byteOffset + part * bytes))
            case let .input(byteOffset): return try memory(layout, .input(byteOffset: byteOffset + part * bytes))
            default: throw DNNLError(call: "PlanMemory.views", status: "not an activation")
            }
        }
    }

    /// The whole batch of `batch` images over the data of `parts`, which lie
    /// side by side from the first on.
    func wholeBatch(_ parts: [Memory], batch: Int) throws -> Memory {
        guard parts.count > 1 else { return parts[0] }
        return try memory(try parts[0].layout.withBatch(batch), bindingOf[ObjectIdentifier(parts[0])]!)
    }

    func reorder(_ source: Memory, _ destination: Memory, accumulate: Bool = false) throws -> Execution {
        try .reorder(source, destination, accumulate: accumulate, engine: engine)
    }

    /// Parameters at `offset` in `layout`: the plain (PyTorch-layout) tensor
    /// itself when the formats agree, else a copy that `reorders` fill from it
    /// at the start of each run.
    func parameters(_ layout: Layout, plain: Layout, offset: Int, reorders: inout [Execution]) throws -> Memory {
        let tensor = try memory(plain, .parameters(offset: offset))
        if layout.matches(tensor.layout) { return tensor }
        let copy = try memory(layout, .owned)
        reorders.append(try reorder(tensor, copy))
        return copy
    }

    /// Grows the arena's slots to what this shape needs.
    func reserve(in arena: Arena) {
        for (slot, bytes) in slotBytes.enumerated() { arena.reserve(slot: slot, bytes: bytes) }
    }

    func bind(arena: Arena, parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>,
              input: UnsafePointer<Float>) throws {
        for (memory, binding) in bindings {
            switch binding {
            case let .slot(slot, byteOffset): try memory.bind(arena.pointer(slot: slot) + byteOffset)
            case let .parameters(offset): try memory.bind(parameters + offset)
            case let .gradients(offset): try memory.bind(gradients + offset)
            case let .input(byteOffset): try memory.bind(UnsafeMutableRawPointer(mutating: input) + byteOffset)
            case .owned: break
            }
        }
    }
}
