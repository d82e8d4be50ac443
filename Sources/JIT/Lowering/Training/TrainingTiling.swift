/// The vector width and register tiles of the compiled training kernels, read from the
/// `TargetDescription`: `lanes` doubles per vector (2 SSE/NEON, 4 AVX2, 8 AVX-512) and tiles
/// that keep every accumulator in a register (16 or 32 vector registers).
///
/// - Forward (`Y = act(b + X·Wᵀ)`) and input adjoints (`DX = DS·W`): ``rows`` rows by
///   ``vectors`` vectors of outputs; per step of the sum, `vectors` loads and `rows` broadcasts.
/// - Weight gradients (`G += DSᵀ·X`): ``gradientNeurons`` neurons by ``gradientVectors``
///   vectors of inputs; per row, `gradientVectors` loads and `gradientNeurons` broadcasts.
///
/// NOTE (performance): accumulators + loads + one broadcast fit the registers: 6·4 + 4 + 1 = 29
/// of 32 (AVX-512), 3·3 + 3 + 1 = 13 of 16 (SSE, AVX2), so no tile spills. The gradient tile's
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
    /// Whether the kernels fuse multiply-adds (`.fast` numerics on a processor with FMA).
    let fused: Bool

    init(lanes: Int, registers: Int, fused: Bool) {
        self.lanes = lanes
        self.fused = fused
        if registers >= 32 {
            (rows, vectors, gradientNeurons, gradientVectors) = (6, 4, 6, 4)
        } else {
            (rows, vectors, gradientNeurons, gradientVectors) = (3, 3, 3, 3)
        }
    }

    /// The tiling for `options`' target and numerics (Float64).
    init(_ options: JITOptions) throws {
        let target = try options.target()
        self.init(
            lanes: target.lanes(for: .float64), registers: target.vectorRegisters,
            fused: options.numerics == .fast && target.hasFMA)
    }

    /// The number of weight-gradient tiles of a layer of `outputs` neurons.
    func neuronTiles(_ outputs: Int) -> Int { (outputs + gradientNeurons - 1) / gradientNeurons }
}
