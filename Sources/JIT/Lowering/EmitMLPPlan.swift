/// How the single-sample MLP kernel (`MLPShape.emit`) is shaped for a target and numerics:
/// neurons per vector, vectors per register tile, accumulators per dot product, FMA or not.
struct MLPKernelPlan: Sendable, Equatable {
    /// Neurons per vector: one vector register of the compiled precision (2, 4, 8 or 16).
    let lanes: Int
    /// Groups of `lanes` neurons whose sums a tile keeps in registers at once.
    let groupsPerTile: Int
    /// Partial sums per group of neurons (1: the interpreter's single chain, `.exact`).
    let partialSums: Int
    /// Partial sums per neuron in the scalar loop that takes the neurons left over.
    let scalarPartialSums: Int
    /// Whether multiply-adds are fused (`llvm.fma`).
    let fused: Bool

    /// The plan for `target` in `precision` with `numerics`.
    ///
    /// NOTE (performance): exact mode is latency-bound on small layers (each neuron's sum is one
    /// chain of `inputs` dependent adds), so a tile holds 4 groups to run 4 chains at once.
    /// On wide layers the tile is bound by its transposes' shuffles instead, and extra partial
    /// sums only spill: measured on a single sample through MLP(784,[128,64,10]), 4 groups x 4
    /// partials on AVX-512 took 22-27 us against 12-14 us with 2, and 4 x 2 on AVX2 (16
    /// registers) 24-26 us against 17-18 with 1. So a tile's groups x partials stay within a
    /// quarter of the vector registers (2 partials with 32, 1 with 16). The scalar loop takes
    /// 4 partials: a lone output neuron's 16-term chain is W3's critical path (MLP(2,[16,16,1])
    /// one sample: ~50 ns fast against ~57 ns exact on AVX-512, best of 15).
    init(target: TargetDescription, precision: JITOptions.Precision, numerics: JITOptions.Numerics) {
        lanes = target.lanes(for: precision)
        groupsPerTile = 4
        let fast = numerics == .fast
        partialSums = fast ? Swift.max(1, Swift.min(lanes, target.vectorRegisters / (4 * groupsPerTile))) : 1
        scalarPartialSums = fast ? 4 : 1
        fused = fast && target.hasFMA
    }
}
