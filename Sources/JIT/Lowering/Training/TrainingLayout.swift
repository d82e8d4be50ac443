import Micrograd

/// Where a compiled training step keeps its per-sample numbers: the structure of an `MLP`
/// (`MLPShape`) plus the position of each layer's outputs in a sample's activation row.
///
/// The activation buffer holds one row of ``unitCount`` doubles per sample: the outputs of
/// layer 0, then of layer 1, and so on (the inputs themselves are read from the data).
struct TrainingLayout: Sendable, Equatable {
    let shape: MLPShape
    /// Where each layer's outputs start in an activation row.
    let unitOffsets: [Int]
    /// The length of an activation row: the number of neurons of the whole network.
    let unitCount: Int

    init(_ shape: MLPShape) {
        self.shape = shape
        var offsets: [Int] = []
        var total = 0
        for layer in shape.layers {
            offsets.append(total)
            total += layer.outputs
        }
        unitOffsets = offsets
        unitCount = total
    }

    var layers: [MLPShape.LayerShape] { shape.layers }
    var parameterCount: Int { shape.parameterCount }
    var inputCount: Int { shape.inputCount }
    var outputCount: Int { shape.outputCount }

    /// The widest layer output, the size of the per-sample work buffers.
    var widestLayer: Int { layers.map(\.outputs).max() ?? 1 }
}
