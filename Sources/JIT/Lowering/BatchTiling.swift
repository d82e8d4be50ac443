/// How the batched forward pass tiles its loops: samples per block, SIMD lanes and the
/// register tile (neurons x vectors of samples) each innermost loop keeps in registers.
///
/// A kernel call processes one block of `blockRows` samples, held feature-major in scratch (in
/// panels, see `BatchedLayerEmitter`), so a vector load gives one feature of `lanes` samples.
struct BatchTiling: Sendable, Equatable {
    /// Samples per SIMD vector: one vector register of the target (`<4 x double>` on AVX2,
    /// `<8 x double>` or `<16 x float>` on AVX-512, `<2 x double>` on SSE2 and NEON).
    let lanes: Int
    /// Samples per kernel call; a multiple of `lanes`.
    let blockRows: Int
    /// Neurons per register tile (the remainder of a layer gets a narrower tile).
    let neuronTile: Int
    /// The most accumulators a register tile may use: the vector registers less 4 for operands.
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
    /// Bytes per lane: 8 for Float64, 4 for Float32.
    let elementBytes: Int

    /// A tiling given in full (tests and experiments); `init(target:precision:)` derives one.
    init(
        lanes: Int, blockRows: Int, neuronTile: Int, maxAccumulators: Int, panelVectors: Int, inputChunk: Int,
        elementBytes: Int
    ) {
        precondition(blockRows % (lanes * panelVectors) == 0, "a block holds whole panels")
        self.elementBytes = elementBytes
        self.panelVectors = panelVectors
        self.inputChunk = inputChunk
        self.lanes = lanes
        self.blockRows = blockRows
        self.neuronTile = neuronTile
        self.maxAccumulators = maxAccumulators
    }

    /// The tiling for `target`'s vectors and registers in `precision`.
    ///
    /// - lanes: one vector register of `precision`;
    /// - block: 16 vectors of samples and at least 64 rows, in panels of 2 vectors;
    /// - accumulators: the vector registers less 4 (12 with 16 registers, 28 with 32);
    /// - neurons per tile: 4 with 16 registers, 6 with 32, so a full tile keeps 4x2 (AVX2)
    ///   or 6x4 (AVX-512) vectors of sums in registers;
    /// - input chunk: as many inputs as keep a block's chunk within half the L2 cache the width
    ///   suggests (512 KB for up to 256-bit vectors, 1 MB for AVX-512 server parts): 1024.
    ///
    /// NOTE (performance): for `haswell` in Float64 this is exactly the tiling the AVX2 kernel
    /// always had (4 lanes, 64 rows, 4 neurons, 12 accumulators, 2-vector panels, 1024 inputs).
    /// On AVX-512 (Sapphire Rapids, W4's MLP(784,[128,64,10]), 4096 rows, best of 9) tiles of 4,
    /// 6 or 7 neurons and blocks of 64 or 128 rows all ran within noise (exact ~20-22 ms, fast
    /// ~11-12 ms on one thread; fast 5.7-6.1 ms on two); 256 rows were ~10% slower. llvm-mca
    /// puts the 6x4 tile's input loop at its port bound: 24 `vfmadd231pd` in 12 cycles (fast),
    /// 24 `vmulpd` + 24 `vaddpd` in 24 (exact: two 512-bit FP ports, one rounding per op).
    init(target: TargetDescription, precision: JITOptions.Precision) {
        let lanes = target.lanes(for: precision)
        let elementBytes = precision == .float32 ? 4 : 8
        let blockRows = Swift.max(64, 16 * lanes)
        let cacheBudget = target.vectorBits >= 512 ? 1 << 20 : 1 << 19
        self.init(
            lanes: lanes, blockRows: blockRows, neuronTile: target.vectorRegisters >= 32 ? 6 : 4,
            maxAccumulators: target.vectorRegisters - 4, panelVectors: 2,
            inputChunk: Swift.max(64, cacheBudget / (blockRows * elementBytes)), elementBytes: elementBytes)
    }

    /// The vectors of samples in a block.
    var vectorsPerBlock: Int { blockRows / lanes }

    /// The same tiling for blocks of one panel (`lanes * panelVectors` rows): the kernel for the
    /// rows after a batch's last whole block, which then costs a panel's work per panel of rows,
    /// not a whole block's.
    var tail: BatchTiling {
        BatchTiling(
            lanes: lanes, blockRows: lanes * panelVectors, neuronTile: neuronTile, maxAccumulators: maxAccumulators,
            panelVectors: panelVectors, inputChunk: inputChunk, elementBytes: elementBytes)
    }

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
