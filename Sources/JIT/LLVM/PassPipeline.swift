internal import CLLVM

/// Runs the new pass manager's standard pipeline (`default<On>`) over a module.
///
/// NOTE (numerics): the pipeline never adds fast-math flags and the JIT emits none, so no pass
/// may reassociate, contract `a*b+c` into an FMA, or replace a division; Float64 results stay
/// those of the interpreter's operation order (up to libm and integer powers).
enum PassPipeline {
    /// Optimises `module` in place for `machine` at `level`.
    static func run(
        on module: borrowing Module,
        level: JITOptions.OptimizationLevel,
        machine: borrowing TargetMachine
    ) throws {
        try run(on: module, pipelineText: level.pipeline, machine: machine, vectorize: level >= .o2)
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
