/// The vector width and register tiles of the compiled training kernels, read from the
/// `TargetDescription`: `lanes` doubles per vector (2 SSE/NEON, 4 AVX2, 8 AVX-512) and tiles
/// that keep every accumulator in a register (16 or 32 vector registers).
///
/// - Forward (`Y = act(b + X·Wᵀ)`) and input adjoints (`DX = DS·W`): ``rows`` rows by
///   ``vectors`` vectors of outputs; per step of the sum, `vectors` loads and `rows` broadcasts.
/// - Weight gradients (`G += DSᵀ·X`): ``gradientNeurons`` neurons by ``gradientVectors``
///   vectors of inputs; per row, `gradientVectors` loads and `gradientNeurons` broadcasts.
///
/// - Weight gradients over neurons (`G[k][j] += ds_k · x_j`, for layers with few inputs):
///   ``gradientNeuronVectors`` vectors of neurons by ``gradientColumns`` input columns.
///
/// NOTE (performance): accumulators + loads + one broadcast fit the registers: 6·4 + 4 + 1 = 29
/// of 32 (AVX-512), 3·3 + 3 + 1 = 13 of 16 (SSE, AVX2), 2·12 + 2 + 1 = 27 and 2·5 + 2 + 1 = 13
/// over neurons, so no tile spills. The gradient tile's
/// height sets how often the inputs are streamed again (once per tile of neurons), so it is
/// the taller one.
struct TrainingTiling: Sendable, Equatable {
    /// Doubles per vector.
    let lanes: Int
    /// Rows per forward / input-adjoint tile.
    let rows: Int
    /// Vectors of outputs (forward) or inputs (adjoints) per tile.
    let vectors: Int
    /// Neurons per weight-gradient tile.
    let gradientNeurons: Int
    /// Vectors of inputs per weight-gradient tile.
    let gradientVectors: Int
    /// Vectors of neurons per weight-gradient tile of a layer whose gradients are vectorised
    /// over its neurons (`TrainingLayout.gradientsOverNeurons`).
    let gradientNeuronVectors: Int
    /// Input columns per such tile (one broadcast each per row).
    let gradientColumns: Int
    /// Whether the kernels fuse multiply-adds (`.fast` numerics on a processor with FMA).
    let fused: Bool

    init(lanes: Int, registers: Int, fused: Bool) {
        self.lanes = lanes
        self.fused = fused
        if registers >= 32 {
            (rows, vectors, gradientNeurons, gradientVectors) = (6, 4, 6, 4)
            (gradientNeuronVectors, gradientColumns) = (2, 12)
        } else {
            (rows, vectors, gradientNeurons, gradientVectors) = (3, 3, 3, 3)
            (gradientNeuronVectors, gradientColumns) = (2, 5)
        }
    }

    /// The tiling for `options`' target and numerics (Float64).
    init(_ options: JITOptions) throws {
        let target = try options.target()
        self.init(
            lanes: target.lanes(for: .float64), registers: target.vectorRegisters,
            fused: options.numerics == .fast && target.hasFMA)
    }
}
