import Micrograd

/// The structure of an MLP that its compiled code depends on: layer widths, activations, and
/// where each layer's parameters start in the MLP's `ParameterStorage`. The parameter values
/// themselves are read at each call, not baked in.
struct MLPShape: Sendable, Equatable {
    /// One layer: `outputs` neurons of `inputs` weights and a bias each, stored row by row
    /// (row stride `inputs + 1`) from `offset` on.
    struct LayerShape: Sendable, Equatable {
        let inputs: Int
        let outputs: Int
        let activation: Activation
        let offset: Int
    }

    let layers: [LayerShape]

    /// The shape of `mlp`, with offsets in micrograd's parameter order (layer by layer, neuron
    /// by neuron, weights then bias), the order of `mlp.storage`.
    init(_ mlp: MLP) throws {
        var offset = 0
        var layers: [LayerShape] = []
        var width = mlp.inputCount
        for layer in mlp.layers {
            guard layer.inputCount == width else {
                throw JITError.invalidGraph("layer \(layers.count) takes \(layer.inputCount) inputs, the previous layer gives \(width)")
            }
            layers.append(LayerShape(
                inputs: layer.inputCount, outputs: layer.outputCount, activation: layer.activation, offset: offset))
            offset += layer.outputCount * (layer.inputCount + 1)
            width = layer.outputCount
        }
        guard offset == mlp.storage.count else {
            throw JITError.invalidGraph("the MLP has \(offset) parameters but its storage holds \(mlp.storage.count)")
        }
        self.layers = layers
    }

    var inputCount: Int { layers.first?.inputs ?? 0 }
    var outputCount: Int { layers.last?.outputs ?? 0 }
    var parameterCount: Int { layers.reduce(0) { $0 + $1.outputs * ($1.inputs + 1) } }

    /// A description such as `MLP(2, [16, 16, 1])`.
    var summary: String { "MLP(\(inputCount), [\(layers.map { String($0.outputs) }.joined(separator: ", "))])" }
}
