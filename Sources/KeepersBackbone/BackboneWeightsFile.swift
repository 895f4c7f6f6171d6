import Foundation
import KeepersHDF5
import KeepersNetwork

/// Reads the converted weights file (docs/backbone.md, format
/// "keepers-backbone" version 1): the layers in execution order with batch
/// norm folded in, the input normalisation, the identity and the classifier.
public enum BackboneWeightsFile {
    public static let format = "keepers-backbone"
    public static let version = 1

    /// The named backbone from the cache folder (`BackboneFiles`).
    public static func load(name: String, threads: Int,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PretrainedBackbone {
        let url = BackboneFiles.weights(name: name, environment: environment)
        guard FileManager.default.fileExists(atPath: url.path) else { throw BackboneError.missing(url, name: name) }
        return try load(url, threads: threads)
    }

    public static func load(_ url: URL, threads: Int) throws -> PretrainedBackbone {
        let file: HDF5File
        do { file = try HDF5File.open(at: url) } catch { throw BackboneError.invalid(url, "\(error)") }
        defer { try? file.close() }
        do {
            guard try file.hasAttribute("format"), try file.stringAttribute("format") == format,
                  try file.intAttribute("version") == version
            else { throw BackboneError.invalid(url, "not a \(format) file of version \(version)") }
            let identity = BackboneIdentity(name: try file.stringAttribute("name"),
                                            weightsSHA256: try file.stringAttribute("weights_sha256"))
            let mean = try floats(file, "input_mean", count: 3, url), std = try floats(file, "input_std", count: 3, url)
            let layerGroup = try file.group("layers")
            let names = try layerGroup.memberNames().sorted()
            guard names == names.indices.map({ String(format: "%03d", $0) }), !names.isEmpty else {
                throw BackboneError.invalid(url, "layers are not numbered 000, 001, ...")
            }
            let layers = try names.map { try layer(try layerGroup.group($0), url) }
            var classifier: (kernel: [Float], bias: [Float])?
            if try file.contains("classifier") {
                let group = try file.group("classifier")
                classifier = (try group.dataset("kernel").read(Float.self), try group.dataset("bias").read(Float.self))
            }
            let network: BackboneNetwork
            do { network = try BackboneNetwork(layers: layers, threads: threads) } catch let error as NetworkError {
                throw BackboneError.invalid(url, error.description)
            }
            if let classifier, classifier.kernel.count != classifier.bias.count * network.featureCount {
                throw BackboneError.invalid(url, "the classifier does not take \(network.featureCount) features")
            }
            return PretrainedBackbone(identity: identity, network: network, mean: mean, std: std, classifier: classifier)
        } catch let error as BackboneError {
            throw error
        } catch let error as HDF5Error {
            throw BackboneError.invalid(url, error.messageWithoutPath)
        }
    }

    private static func layer(_ group: HDF5Group, _ url: URL) throws -> BackboneConvolution {
        let kernel = try group.dataset("kernel")
        let shape = kernel.shape
        guard shape.count == 4 else { throw BackboneError.invalid(url, "\(group.name)/kernel is not 4-d") }
        let groups = try group.intAttribute("groups")
        guard case let .ints(padding) = try group.attribute("padding"), padding.count == 4 else {
            throw BackboneError.invalid(url, "\(group.name) padding is not 4 integers")
        }
        guard let activation = BackboneConvolution.Activation(rawValue: try group.stringAttribute("activation")) else {
            throw BackboneError.invalid(url, "\(group.name) has an unknown activation")
        }
        let residual = try group.intAttribute("residual")
        return BackboneConvolution(
            inputChannels: shape[1] * groups, outputChannels: shape[0], groups: groups, kernelHeight: shape[2],
            kernelWidth: shape[3], stride: try group.intAttribute("stride"), padding: padding, activation: activation,
            residual: residual < 0 ? nil : residual, kernel: try kernel.read(Float.self),
            bias: try group.dataset("bias").read(Float.self))
    }

    private static func floats(_ file: HDF5File, _ name: String, count: Int, _ url: URL) throws -> [Float] {
        switch try file.attribute(name) {
        case let .doubles(values) where values.count == count: return values.map(Float.init)
        case let .ints(values) where values.count == count: return values.map(Float.init)
        default: throw BackboneError.invalid(url, "attribute \(name) is not \(count) numbers")
        }
    }
}
