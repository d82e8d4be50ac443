/// How the batched forward pass tiles its loops: samples per block, SIMD lanes and the
/// register tile (neurons x vectors of samples) each innermost loop keeps in registers.
///
/// A kernel call processes one block of `blockRows` samples, held feature-major in scratch (in
/// panels, see `BatchedLayerEmitter`), so a vector load gives one feature of `lanes` samples.
struct BatchTiling: Sendable, Equatable {
    /// Samples per SIMD vector (`<4 x double>` is one AVX2 register).
    let lanes: Int
    /// Samples per kernel call; a multiple of `lanes`.
    let blockRows: Int
    /// Neurons per register tile (the remainder of a layer gets a narrower tile).
    let neuronTile: Int
    /// The most accumulators a register tile may use (16 AVX2 registers, some for operands).
    let maxAccumulators: Int
    /// Vectors of samples stored side by side per feature (a panel): a register tile covers a
    /// whole number of panels, so its inputs are one sequential stream over the features.
    let panelVectors: Int
    /// Inputs per cache block: a layer's input loop runs in chunks of this many, each chunk
    /// over all neurons and samples, so a chunk of the block's inputs stays in cache.
    ///
    /// NOTE: performance. 1024 leaves MNIST's 784 inputs in one chunk: a 64-sample block of them
    /// (400 KB) stays in the 512 KB L2 anyway, and chunks of 256 cost a store and reload of every
    /// partial sum per chunk; W4's MLP(784,[128,64,10]) took 22-23 ms instead of 24-25 on one
    /// thread in alternating runs.
    let inputChunk: Int

    /// A tiling; the defaults suit AVX2 (16 vector registers) and a 512 KB L2 cache.
    init(
        lanes: Int = 4, blockRows: Int = 64, neuronTile: Int = 4, maxAccumulators: Int = 12,
        panelVectors: Int = 2, inputChunk: Int = 1024
    ) {
        precondition(blockRows % (lanes * panelVectors) == 0, "a block holds whole panels")
        self.panelVectors = panelVectors
        self.inputChunk = inputChunk
        self.lanes = lanes
        self.blockRows = blockRows
        self.neuronTile = neuronTile
        self.maxAccumulators = maxAccumulators
    }

    /// The vectors of samples in a block.
    var vectorsPerBlock: Int { blockRows / lanes }

    /// The panels in a block.
    var panelsPerBlock: Int { vectorsPerBlock / panelVectors }

    /// The vectors of samples a tile of `neurons` neurons covers: the largest whole number of
    /// panels dividing the block that keeps `neurons * vectors` within `maxAccumulators`.
    ///
    /// A narrow tile (a last layer of 1 neuron) thus covers more samples, so it still has
    /// enough independent add chains to hide the adder's latency.
    func vectorTile(forNeurons neurons: Int) -> Int {
        let limit = Swift.max(1, maxAccumulators / Swift.max(1, neurons))
        let panels = (1...panelsPerBlock).last { panelsPerBlock % $0 == 0 && $0 * panelVectors <= limit } ?? 1
        return panels * panelVectors
    }
}
