/// How the batched forward pass tiles its loops: samples per block, SIMD lanes and the
/// register tile (neurons x vectors of samples) each innermost loop keeps in registers.
///
/// A kernel call processes one block of `blockRows` samples, held feature-major in scratch
/// (`buffer[feature][sample]`), so a vector load gives one feature of `lanes` samples.
struct BatchTiling: Sendable, Equatable {
    /// Samples per SIMD vector (`<4 x double>` is one AVX2 register).
    let lanes: Int
    /// Samples per kernel call; a multiple of `lanes`.
    let blockRows: Int
    /// Neurons per register tile (the remainder of a layer gets a narrower tile).
    let neuronTile: Int
    /// The most accumulators a register tile may use (16 AVX2 registers, some for operands).
    let maxAccumulators: Int

    /// The tiling used for a model of `shape`.
    init(lanes: Int = 4, blockRows: Int = 64, neuronTile: Int = 4, maxAccumulators: Int = 12) {
        precondition(blockRows % lanes == 0, "a block holds whole vectors")
        self.lanes = lanes
        self.blockRows = blockRows
        self.neuronTile = neuronTile
        self.maxAccumulators = maxAccumulators
    }

    /// The vectors of samples in a block.
    var vectorsPerBlock: Int { blockRows / lanes }

    /// The vectors of samples a tile of `neurons` neurons covers: the largest divisor of
    /// `vectorsPerBlock` keeping `neurons * vectors` within `maxAccumulators`.
    ///
    /// A narrow tile (a last layer of 1 neuron) thus covers more samples, so it still has
    /// enough independent add chains to hide the adder's latency.
    func vectorTile(forNeurons neurons: Int) -> Int {
        let limit = Swift.max(1, maxAccumulators / Swift.max(1, neurons))
        return (1...vectorsPerBlock).last { vectorsPerBlock % $0 == 0 && $0 <= limit } ?? 1
    }
}
