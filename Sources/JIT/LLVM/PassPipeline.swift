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
    }

    /// The pipeline text for `kind` at `level`, in `opt -passes=` syntax.
    static func text(for kind: Kind, level: JITOptions.OptimizationLevel) -> String {
        switch (kind, level) {
        case (.standard, _): level.pipeline
        case (.kernel, .o0): "default<O0>"
        case (.kernel, _): "function(early-cse,instcombine,simplifycfg)"
        }
    }

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
