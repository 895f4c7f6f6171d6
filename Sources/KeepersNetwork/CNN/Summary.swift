extension Network {
    /// One row per layer: name, output shape (C x H x W) for an input of
    /// height x width, parameter count.
    public func layerTable(height: Int, width: Int) -> [(layer: String, output: String, parameters: Int)] {
        var rows: [(layer: String, output: String, parameters: Int)] = [("input", "3x\(height)x\(width)", 0)]
        var (h, w) = (height, width)
        for (index, conv) in architecture.convolutions.enumerated() {
            let count = architecture.kernel(ofConvolution: index).count + architecture.bias(ofConvolution: index).count
            rows.append(("conv\(index + 1) 3x3 \(conv.inputChannels)->\(conv.outputChannels) + ReLU",
                         "\(conv.outputChannels)x\(h)x\(w)", count))
            if conv.pool {
                (h, w) = (h / 2, w / 2)
                rows.append(("maxpool\(index + 1) 2x2", "\(conv.outputChannels)x\(h)x\(w)", 0))
            }
        }
        let channels = architecture.featureChannels
        rows.append(("global average pool", "\(channels)", 0))
        if architecture.pooling == .averageMax { rows.append(("global max pool", "\(channels)", 0)) }
        if architecture.usesStatistics {
            rows.append(("image statistics, standardised", "\(ImageStatistics.count)", 0))
        }
        if let kernel = architecture.hiddenKernel, let bias = architecture.hiddenBias {
            rows.append(("dense \(architecture.headInputs)->\(architecture.hiddenUnits) + ReLU", "\(architecture.hiddenUnits)",
                         kernel.count + bias.count))
        }
        rows.append(("dense \(architecture.denseKernel.count)->1 (logit)", "1",
                     architecture.denseKernel.count + architecture.denseBias.count))
        return rows
    }

    /// The layer table as text, then the total.
    public func summary(height: Int, width: Int) -> String {
        let rows = layerTable(height: height, width: width).map { ($0.layer, $0.output, $0.parameters) }
        let nameWidth = rows.map(\.0.count).max()!
        let shapeWidth = max(rows.map(\.1.count).max()!, "output".count)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        var lines = [pad("layer", nameWidth) + "  " + pad("output", shapeWidth) + "  parameters"]
        for (name, shape, count) in rows {
            lines.append(pad(name, nameWidth) + "  " + pad(shape, shapeWidth) + "  \(count)")
        }
        lines.append("total parameters: \(parameterCount)")
        return lines.joined(separator: "\n")
    }
}
