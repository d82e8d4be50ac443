internal import CLLVM

/// Runs an optimisation pipeline of the new pass manager over a module.
///
/// NOTE (numerics): no pipeline adds fast-math flags and the JIT emits none, so no pass may
/// reassociate, contract `a*b+c` into an FMA, or replace a division; Float64 results stay
/// those of the interpreter's operation order (up to libm and integer powers).
enum PassPipeline {
    /// Which pipeline a module gets.
    enum Kind {
        /// `default<On>`: the standard pipeline, for linearised graph programs.
        case standard
        /// Cleanup only (`early-cse`, `instcombine`, `simplifycfg`) at O1-O3, nothing at O0:
        /// for code the emitter has already vectorised and laid out as loops (the MLP).
        ///
        /// NOTE (compile time): measured on MLP(2,[16,16,1]), `default<O2>` took ~15 ms and
        /// made the code no faster than this cleanup (~0.3 ms); the code generator still runs
        /// at the chosen level.
        case kernel
        /// Loop nests with constant trip counts (the training step): cleanup, loop
        /// vectorisation, full unrolling of the short loops that leaves (trip count ≤ 4),
        /// then GVN and LICM, which keep the work buffers of the unrolled loops in registers.
        /// Nothing at O0.
        ///
        /// NOTE (compile time, measured on the training steps of MLP(2,[16,16,1]) and
        /// MLP(784,[50,10])): `default<O2>` fully unrolls and vectorises every fixed-count loop
        /// (130-220 ms and 320-500 ms to compile); this pipeline compiles in ~40 ms for both
        /// and runs the moons step as fast (100 steps ~1.7 ms either way).
        case loops
        /// Register-tiled loop nests the emitter has already vectorised (the batched MLP):
        /// the `.kernel` cleanup, then full unrolling of loops of at most 4 trips (a narrow
        /// layer's input loop). Nothing at O0.
        ///
        /// NOTE (compile time, measured on 4096-row batches): `default<O2>` compiled the kernel
        /// of MLP(2,[16,16,1]) in 70-115 ms and of MLP(784,[128,64,10]) in 140-250 ms, this
        /// pipeline in 20-24 ms and 37-57 ms; run times are the same within noise (~70 us,
        /// ~25.5 ms on one thread). `default<O2>`'s partial unrolling of the long loops saved
        /// no measurable time (llvm-mca: ~2% on the 784-input loop) and cost most of the
        /// code-generation time.
        case tiles
    }

    /// The pipeline text for `kind` at `level`, in `opt -passes=` syntax.
    static func text(for kind: Kind, level: JITOptions.OptimizationLevel) -> String {
        switch (kind, level) {
        case (.standard, _): level.pipeline
        case (.kernel, .o0): "default<O0>"
        case (.kernel, _): "function(early-cse,\(instcombine),simplifycfg)"
        case (.loops, .o0), (.tiles, .o0): "default<O0>"
        case (.tiles, _): "function(early-cse,\(instcombine),simplifycfg,\(shortLoopUnrolling),\(instcombine))"
        case (.loops, _): loopsPipeline
        }
    }

    /// `instcombine`, without the fixpoint verification that LLVM 18+ turns on for the pass
    /// named in pipeline text (a testing aid): on LLVM 19 it aborts the process ("LLVM ERROR:
    /// Instruction Combining did not reach a fixpoint after 1 iterations") when one iteration
    /// leaves more to combine, as the exported Float32 entry points do. The transforms are the same.
    static let instcombine = LLVMVersion.major >= 18 ? "instcombine<no-verify-fixpoint>" : "instcombine"

    /// Full unrolling of loops of at most 4 trips, and no other unrolling.
    private static let shortLoopUnrolling = "loop-unroll<O2;no-partial;no-runtime;no-upperbound;no-peeling;full-unroll-max=4>"

    /// The function passes of the `.loops` pipeline at O1-O3, in order.
    private static let loopsPasses = [
        "sroa", "early-cse", instcombine, "simplifycfg", "loop-mssa(licm)", "loop-vectorize",
        shortLoopUnrolling,
        "gvn", "loop-mssa(licm)", instcombine, "simplifycfg",
    ].joined(separator: ",")
    private static let loopsPipeline = "function(\(loopsPasses))"

    /// Optimises `module` in place for `machine` with the `kind` pipeline at `level`.
    static func run(
        on module: borrowing Module,
        kind: Kind = .standard,
        level: JITOptions.OptimizationLevel,
        machine: borrowing TargetMachine
    ) throws {
        try run(on: module, pipelineText: text(for: kind, level: level), machine: machine, vectorize: level >= .o2)
    }

    /// Runs a pipeline given in `opt -passes=` syntax; throws LLVM's message for a bad one.
    static func run(
        on module: borrowing Module,
        pipelineText: String,
        machine: borrowing TargetMachine,
        vectorize: Bool = true
    ) throws {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        let flag: LLVMBool = vectorize ? 1 : 0
        LLVMPassBuilderOptionsSetLoopVectorization(options, flag)
        LLVMPassBuilderOptionsSetSLPVectorization(options, flag)
        LLVMPassBuilderOptionsSetLoopInterleaving(options, flag)
        LLVMPassBuilderOptionsSetLoopUnrolling(options, flag)
        try check(LLVMRunPasses(module.ref, pipelineText, machine.ref, options), "running \(pipelineText)")
    }
}

