internal import CLLVM

/// Runs the new pass manager's standard pipeline (`default<On>`) over a module.
///
/// NOTE (numerics): the pipeline never adds fast-math flags and the JIT emits none, so no pass
/// may reassociate, contract `a*b+c` into an FMA, or replace a division; Float64 results stay
/// bit-for-bit those of the interpreter's operation order (up to libm and integer powers).
enum PassPipeline {
    /// Optimises `module` in place for `machine` at `level`.
    static func run(
        on module: borrowing Module,
        level: JITOptions.OptimizationLevel,
        machine: borrowing TargetMachine
    ) throws {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        let vectorize: LLVMBool = level >= .o2 ? 1 : 0
        LLVMPassBuilderOptionsSetLoopVectorization(options, vectorize)
        LLVMPassBuilderOptionsSetSLPVectorization(options, vectorize)
        LLVMPassBuilderOptionsSetLoopUnrolling(options, level >= .o2 ? 1 : 0)
        LLVMPassBuilderOptionsSetLoopInterleaving(options, vectorize)
        try check(LLVMRunPasses(module.ref, level.pipeline, machine.ref, options), "running \(level.pipeline)")
    }
}
