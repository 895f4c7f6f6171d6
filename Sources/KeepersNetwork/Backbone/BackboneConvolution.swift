/// One convolution of a pretrained backbone with its batch norm folded in
/// (docs/backbone.md): plain values, read from the weights file by
/// KeepersBackbone. PyTorch's Conv2d(in, out, k, stride, padding, groups)
/// followed by an optional ReLU6, plus an optional residual: the input of an
/// earlier layer (the block's input) added to this layer's output.
package struct BackboneConvolution: Sendable {
    package enum Activation: String, Sendable { case relu6, none }

    package let inputChannels: Int, outputChannels: Int
    /// 1, or the channel count for a depthwise convolution.
    package let groups: Int
    package let kernelHeight: Int, kernelWidth: Int
    package let stride: Int
    /// Zero padding: top, left, bottom, right.
    package let padding: [Int]
    package let activation: Activation
    /// The index of the layer whose input this layer's output adds to, if any.
    package let residual: Int?
    /// (out, in / groups, kh, kw), row-major.
    package let kernel: [Float]
    /// (out)
    package let bias: [Float]

    package init(inputChannels: Int, outputChannels: Int, groups: Int, kernelHeight: Int, kernelWidth: Int,
                 stride: Int, padding: [Int], activation: Activation, residual: Int?, kernel: [Float], bias: [Float]) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.groups = groups
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.residual = residual
        self.kernel = kernel
        self.bias = bias
    }

    /// The output's height and width for an input of `height` x `width`.
    func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + padding[0] + padding[2] - kernelHeight) / stride + 1,
         (width + padding[1] + padding[3] - kernelWidth) / stride + 1)
    }

    /// The kernel's logical dims for oneDNN: (out, in, kh, kw), or
    /// (groups, out / groups, in / groups, kh, kw) when grouped.
    var kernelDims: [Int] {
        groups == 1 ? [outputChannels, inputChannels, kernelHeight, kernelWidth]
            : [groups, outputChannels / groups, inputChannels / groups, kernelHeight, kernelWidth]
    }

    /// Why this layer cannot follow a layer with `previousChannels` outputs
    /// as layer `index` of `layers`, or nil when it can.
    func problem(index: Int, previousChannels: Int, layers: [BackboneConvolution]) -> String? {
        let name = "layer \(index)"
        if inputChannels != previousChannels {
            return "\(name) takes \(inputChannels) channels, the layer before gives \(previousChannels)"
        }
        if groups < 1 || inputChannels % groups != 0 || outputChannels % groups != 0 {
            return "\(name): \(groups) groups do not divide \(inputChannels) -> \(outputChannels) channels"
        }
        if kernelHeight < 1 || kernelWidth < 1 || stride < 1 || padding.count != 4 || padding.contains(where: { $0 < 0 }) {
            return "\(name): invalid geometry (kernel \(kernelHeight)x\(kernelWidth), stride \(stride), padding \(padding))"
        }
        if kernel.count != kernelDims.reduce(1, *) || bias.count != outputChannels {
            return "\(name): \(kernel.count) kernel and \(bias.count) bias values for shape \(kernelDims)"
        }
        if let residual {
            guard residual >= 0, residual <= index else { return "\(name): residual from layer \(residual)" }
            if layers[residual].inputChannels != outputChannels {
                return "\(name): residual of \(layers[residual].inputChannels) channels onto \(outputChannels)"
            }
        }
        return nil
    }
}
