import Micrograd

extension GPUCompiler {
    /// Generates the four training kernels (`GPUTrainingKernelEmitter`) for `target`.
    ///
    /// The listing's `kernelName` is the first kernel, `train_row`; the others are
    /// `GPUTrainingEmitter.Entry.allCases.map(\.kernelName)`.
    ///
    /// - Parameter optimizedIR: whether `ir` is the module after the pass pipeline or as emitted.
    /// - Throws: `.verification` / `.llvm` if LLVM fails.
    static func compileTraining(
        _ step: GPUTrainingEmitter, optimization: JITOptions.OptimizationLevel, target: TargetDescription,
        optimizedIR: Bool = true
    ) throws -> PTXListing {
        let machine = try TargetMachine(gpu: target, optimization: optimization)
        // NOTE: no C math library on a GPU: exp, log and tanh are the built-in routines.
        let module = Module(name: "training_gpu", context: try Context(), builtInMath: true)
        module.setTarget(machine)
        try GPUTrainingKernelEmitter(step: step).emit(into: module)
        try module.verify()
        let emitted = optimizedIR ? nil : module.irText
        try PassPipeline.run(on: module, pipelineText: pipeline(optimization), machine: machine, vectorize: false)
        try module.verify()
        let ptx = try machine.emitAssembly(module)
        return PTXListing(
            target: target, kernelName: GPUTrainingEmitter.Entry.row.kernelName, ir: emitted ?? module.irText, ptx: ptx)
    }
}

/// The LLVM IR and PTX of the GPU training step of `trainer` (its model's shape, objective and
/// optimiser), generated without a GPU or driver: four kernels, `train_row`, `train_loss`,
/// `train_gradient` and `train_update` (see ``jit(_:on:options:)-(Trainer,_,_)``).
///
/// - Parameters:
///   - trainer: the interpreter's trainer: its model's structure (not its parameters), its
///     objective and its optimiser's kind and hyperparameters are compiled in.
///   - options: the optimisation level (numerics are always exact, the precision Float64).
///   - optimized: whether the IR is shown after the GPU pass pipeline or as emitted.
///   - target: the GPU to generate for; `TargetDescription.nvptx()` (sm_80) by default.
/// - Throws: `JITError.unsupportedOperation` for an optimiser the compiled step does not
///   implement; `.unsupportedTarget` for a target that is not a GPU; `.llvm` / `.verification`.
public func trainingPTXListing(
    for trainer: Trainer, options: JITOptions = .default, optimized: Bool = true, target: TargetDescription? = nil
) throws -> PTXListing {
    let target = try target ?? TargetDescription.nvptx()
    guard target.isGPU else { throw JITError.unsupportedTarget("\(target.cpu) is not a GPU target (\(target.triple))") }
    let step = GPUTrainingEmitter(
        shape: try MLPShape(trainer.model), objective: trainer.objective, update: try CompiledUpdate(trainer.optimizer),
        addressSpace: 1)
    return try GPUCompiler.compileTraining(
        step, optimization: options.optimization, target: target, optimizedIR: optimized)
}
