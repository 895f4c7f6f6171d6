/// Numbered, 64-byte aligned buffers that grow to the largest size any shape
/// asked for and are never freed while the network lives. Every shape's plan
/// binds its tensors to the same slots, so cycling through bucket shapes
/// neither allocates per step nor holds one copy of the activations per shape
/// (per-step allocation halved the anchors' speed: glibc returned the big
/// buffers to the kernel and faulted them back in every step).
final class Arena {
    private var buffers: [UnsafeMutableRawPointer?] = []
    private var sizes: [Int] = []

    func reserve(slot: Int, bytes: Int) {
        while buffers.count <= slot {
            buffers.append(nil)
            sizes.append(0)
        }
        guard bytes > sizes[slot] else { return }
        buffers[slot]?.deallocate()
        buffers[slot] = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        sizes[slot] = bytes
    }

    func pointer(slot: Int) -> UnsafeMutableRawPointer { buffers[slot]! }

    var totalBytes: Int { sizes.reduce(0, +) }

    deinit { for buffer in buffers { buffer?.deallocate() } }
}
