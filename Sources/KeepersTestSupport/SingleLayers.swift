import KeepersNetwork

/// The network's oneDNN layers (KeepersNetwork's Layers.swift), one at a
/// time on plain NCHW arrays, so tests can check each backward against
/// finite differences: the same layer types the plans train with, asked for
/// row-major formats. Shapes: x (N, Cin, H, W), kernel (Cout, Cin, 3, 3),
/// y (N, Cout, H, W).
package final class SingleLayers {
    private let engine: Engine
    private let stream: Stream

    package init() throws {
        engine = try Engine()
        stream = try Stream(engine: engine)
    }

    /// A heap copy of some floats (or zeroed bytes) that a memory object can point at.
    private final class Buffer {
        let data: UnsafeMutableRawPointer
        let byteCount: Int
        init(_ values: [Float]) {
            byteCount = max(4 * values.count, 4)
            data = .allocate(byteCount: byteCount, alignment: 64)
            values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        init(bytes: Int) {
            byteCount = max(bytes, 4)
            data = .allocate(byteCount: byteCount, alignment: 64)
            data.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        }
        var floats: [Float] { Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: byteCount / 4)) }
        deinit { data.deallocate() }
    }

    /// The buffers that the memory objects of the calls in flight point into.
    private var held: [Buffer] = []

    /// `buffer` as a tensor of `layout`, kept until the next `run` has finished.
    private func tensor(_ layout: Layout, _ buffer: Buffer) throws -> Memory {
        held.append(buffer)
        return try Memory(layout, engine: engine, data: buffer.data)
    }

    /// Runs the calls in order and waits for them.
    private func run(_ executions: Execution...) throws {
        defer { held.removeAll() }
        for execution in executions { try execution.run(on: stream) }
        try stream.wait()
    }

    private func convolution(n: Int, cin: Int, cout: Int, h: Int, w: Int, relu: Bool) throws -> ConvolutionLayer {
        try ConvolutionLayer(batch: n, inputChannels: cin, outputChannels: cout, height: h, width: w, formats: .plain,
                             fusedReLU: relu, training: true, engine: engine)
    }

    /// y = conv(x) + bias, followed by ReLU when `relu` (the fused post-op the plans use).
    package func convolutionForward(
        x: [Float], kernel: [Float], bias: [Float], n: Int, cin: Int, cout: Int, h: Int, w: Int, relu: Bool
    ) throws -> [Float] {
        let layer = try convolution(n: n, cin: cin, cout: cout, h: h, w: w, relu: relu)
        let y = Buffer(bytes: 4 * n * cout * h * w)
        try run(layer.forward(x: try tensor(layer.x, Buffer(x)), kernel: try tensor(layer.kernel, Buffer(kernel)),
                              bias: try tensor(layer.bias, Buffer(bias)), y: try tensor(layer.y, y)))
        return y.floats
    }

    /// dx, dkernel, dbias from dy for the convolution (without ReLU).
    package func convolutionBackward(
        x: [Float], kernel: [Float], dy: [Float], n: Int, cin: Int, cout: Int, h: Int, w: Int
    ) throws -> (dx: [Float], dkernel: [Float], dbias: [Float]) {
        let layer = try convolution(n: n, cin: cin, cout: cout, h: h, w: w, relu: false)
        let dx = Buffer(bytes: 4 * x.count), dkernel = Buffer(bytes: 4 * kernel.count), dbias = Buffer(bytes: 4 * cout)
        let dyTensor = try tensor(layer.y, Buffer(dy))
        try run(
            layer.backwardData(dy: dyTensor, kernel: try tensor(layer.dataKernel!, Buffer(kernel)),
                               dx: try tensor(layer.x, dx)),
            layer.backwardWeights(x: try tensor(layer.x, Buffer(x)), dy: dyTensor,
                                  dkernel: try tensor(layer.dkernel!, dkernel), dbias: try tensor(layer.bias, dbias)))
        return (dx.floats, dkernel.floats, dbias.floats)
    }

    /// dx from dy and y = relu(x): ReLU's backward as the plans run it (from
    /// the output alone; the forward is the convolution's fused post-op).
    package func reluBackward(y: [Float], dy: [Float]) throws -> [Float] {
        let layer = try ReLULayer(data: try .plain([y.count]), engine: engine)
        let dx = Buffer(bytes: 4 * y.count)
        try run(layer.backward(y: try tensor(layer.data, Buffer(y)), dy: try tensor(layer.data, Buffer(dy)),
                               dx: try tensor(layer.data, dx)))
        return dx.floats
    }

    /// 2x2/2 max-pool forward then backward: y (N, C, H/2, W/2) and dx (N, C, H, W).
    package func maxPool(x: [Float], dy: [Float], n: Int, c: Int, h: Int, w: Int) throws -> (y: [Float], dx: [Float]) {
        let layer = try MaxPoolLayer(y: try .plain([n, c, h, w]), formats: .plain, training: true, engine: engine)
        let workspace = try tensor(layer.workspace!, Buffer(bytes: layer.workspace!.byteCount))
        let y = Buffer(bytes: 4 * n * c * (h / 2) * (w / 2)), dx = Buffer(bytes: 4 * x.count)
        try run(layer.forward(y: try tensor(layer.y, Buffer(x)), z: try tensor(layer.z, y), workspace: workspace),
                layer.backward(dz: try tensor(layer.z, Buffer(dy)), workspace: workspace, dy: try tensor(layer.y, dx)))
        return (y.floats, dx.floats)
    }
}
