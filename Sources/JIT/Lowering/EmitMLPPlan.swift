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
    /// `.fast` splits each chain into partial sums: 2 per group with 16 registers (4 groups x 2
    /// sums + columns + broadcasts fill them), 4 with 32, and 4 in the scalar loop, where a
    /// lone output neuron's 16-term chain (W3's last layer) is otherwise the critical path.
    init(target: TargetDescription, precision: JITOptions.Precision, numerics: JITOptions.Numerics) {
        lanes = target.lanes(for: precision)
        groupsPerTile = 4
        let fast = numerics == .fast
        partialSums = fast ? Swift.min(lanes, target.vectorRegisters >= 32 ? 4 : 2) : 1
        scalarPartialSums = fast ? 4 : 1
        fused = fast && target.hasFMA
    }
}
