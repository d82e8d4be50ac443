import Micrograd

/// Where a compiled training step keeps its numbers: the structure of an `MLP` (`MLPShape`),
/// the target's vector width and register tiles (`TrainingTiling`), and the padded positions
/// of each layer's values in a sample's row of the work buffers.
///
/// The work buffer (`activations`) holds, for `n` rows:
/// - `n` activation rows of ``rowStride`` doubles: layer 0's outputs padded to a whole number
///   of vectors, then layer 1's, ...;
/// - `n` adjoint rows of the same shape: each neuron's sum adjoint `ds` (the backward pass);
/// - `n · termsPerRow` loss terms, then as many 0/1 correctness flags;
/// - the live rows: their number, their indices (each row's dead mark until the `loss` phase), then
///   whether every weight is finite (`n + 2` doubles; see `TrainingEmitter+LiveRows.swift`).
///
/// Padding lanes hold whatever the vector code wrote there and are never read as values.
struct TrainingLayout: Sendable, Equatable {
    let shape: MLPShape
    let tiling: TrainingTiling
    /// Where each layer's outputs start in a row (a multiple of the lanes).
    let unitOffsets: [Int]
    /// Each layer's outputs rounded up to a whole number of vectors.
    let paddedWidths: [Int]
    /// The length of a row: the padded widths of all layers.
    let rowStride: Int
    /// Where each layer's `[input][neuron]` weights start in `transposed` (bias row last,
    /// neurons padded to ``paddedWidths``, the padding zero).
    let transposedOffsets: [Int]
    /// The doubles of the padded transposed weights.
    let transposedCount: Int
    /// Loss terms per row: one per output, or one for softmax cross-entropy.
    let termsPerRow: Int

    init(_ shape: MLPShape, tiling: TrainingTiling, softmax: Bool) {
        self.shape = shape
        self.tiling = tiling
        let lanes = tiling.lanes
        paddedWidths = shape.layers.map { ($0.outputs + lanes - 1) / lanes * lanes }
        var offsets: [Int] = [], transposed: [Int] = []
        var total = 0, transposedTotal = 0
        for (layer, width) in zip(shape.layers, paddedWidths) {
            offsets.append(total)
            transposed.append(transposedTotal)
            total += width
            transposedTotal += (layer.inputs + 1) * width
        }
        unitOffsets = offsets
        rowStride = total
        transposedOffsets = transposed
        transposedCount = transposedTotal
        termsPerRow = softmax ? 1 : shape.outputCount
    }

    var layers: [MLPShape.LayerShape] { shape.layers }
    var parameterCount: Int { shape.parameterCount }
    var inputCount: Int { shape.inputCount }
    var outputCount: Int { shape.outputCount }

    /// The doubles of the work buffer for `rows` rows (see the type's comment).
    func workCount(rows: Int) -> Int { rows * (2 * rowStride + 2 * termsPerRow) + rows + 2 }

    /// The weight-gradient work items of layer `number` start at this global item index.
    func gradientItemStart(_ number: Int) -> Int {
        (0..<number).reduce(0) { $0 + gradientTiles($1) }
    }

    /// Layer `number`'s weight-gradient work items: blocks of ``TrainingTiling/gradientVectors``
    /// vectors of inputs for all its neurons (`gradientInputBlocks`), or tiles of
    /// ``TrainingTiling/gradientNeuronVectors`` vectors of neurons over neurons (the last one may
    /// be smaller); each item completes the gradients it covers.
    func gradientTiles(_ number: Int) -> Int {
        guard gradientsOverNeurons(number) else { return gradientInputBlocks(number).whole + 1 }
        let vectors = paddedWidths[number] / tiling.lanes
        return (vectors + tiling.gradientNeuronVectors - 1) / tiling.gradientNeuronVectors
    }

    /// The input blocks of layer `number`'s weight-gradient items (over inputs): `whole` blocks of
    /// ``TrainingTiling/gradientVectors`` vectors of inputs, then one block of the `rest` vectors
    /// left over (at least one: the bias lane follows the inputs).
    func gradientInputBlocks(_ number: Int) -> (whole: Int, rest: Int) {
        let inputs = layers[number].inputs, lanes = tiling.lanes, width = tiling.gradientVectors
        let whole = inputs / lanes / width
        return (whole, (inputs + 1 + lanes - 1) / lanes - whole * width)
    }

    /// Whether layer `number`'s weight gradients are vectorised over its neurons (a vector of
    /// neurons times one broadcast input) rather than over its inputs: when that takes at least
    /// a quarter fewer vector multiply-adds per row, counting padding lanes.
    ///
    /// NOTE (performance): a layer of few inputs wastes most lanes over inputs (MLP(2,[16,...])'s
    /// first layer fills 3 of 8: two inputs and the bias), a layer of few neurons over neurons.
    /// Over neurons a tile gathers and scatters its gradients (they are a column of the
    /// row-major weights), which a short batch does not repay: measured on AVX-512, the moons
    /// step's `grads` (100 rows; 6 against 16 and 34 against 48 multiply-adds per row) went from
    /// 2.7 to 1.6 us over neurons, while digits' (32 rows; 520 against 576) stayed at 10-11 us
    /// at best, hence the margin.
    func gradientsOverNeurons(_ number: Int) -> Bool {
        let layer = layers[number], lanes = tiling.lanes
        let overInputs = (layer.inputs + lanes) / lanes * layer.outputs
        let overNeurons = paddedWidths[number] / lanes * (layer.inputs + 1)
        return 4 * overNeurons <= 3 * overInputs
    }

    /// All weight-gradient work items.
    var gradientItems: Int { gradientItemStart(layers.count) }

    /// Input columns (the bias counted as one) per work item of the `prepare` phase, which
    /// copies the weights to `transposed`: a layer's columns in runs of this many, the last
    /// run shorter.
    static let transposeColumns = 64

    /// Layer `number`'s `prepare` work items.
    func transposeItems(_ number: Int) -> Int {
        (layers[number].inputs + 1 + Self.transposeColumns - 1) / Self.transposeColumns
    }

    /// The `prepare` work items of layer `number` start at this global item index.
    func transposeItemStart(_ number: Int) -> Int {
        (0..<number).reduce(0) { $0 + transposeItems($1) }
    }

    /// All `prepare` work items.
    var transposeItems: Int { transposeItemStart(layers.count) }

    /// Parameters per work item of the `update` phase (a whole number of vectors on every
    /// target): item i updates the parameters `i · updateParameters ..<` the next item's.
    static let updateParameters = 1024

    /// All `update` work items.
    var updateItems: Int { (parameterCount + Self.updateParameters - 1) / Self.updateParameters }

    /// Multiply-adds of one row through forward, input adjoints and weight gradients: the work
    /// estimate that decides whether a step uses several threads.
    var multiplyAddsPerRow: Int {
        layers.enumerated().reduce(0) { total, entry in
            total + entry.element.inputs * entry.element.outputs * (entry.offset == 0 ? 2 : 3)
        }
    }
}
