/// An MLP's GPU kernel as text: the LLVM IR and the PTX generated from it.
///
/// ```swift
/// let listing = try ptxListing(for: MLP(inputs: 2, layers: [16, 16, 1]))
/// print(listing.ptx)     // .version 7.0 / .target sm_80 / .visible .entry mlp_kernel(...)
/// ```
public struct PTXListing: Sendable {
    /// The GPU the PTX was generated for (`sm_80` unless a device said otherwise).
    public let target: TargetDescription
    /// The kernel's name in the PTX (`.visible .entry`).
    public let kernelName: String
    /// The LLVM IR of the module: after the GPU pass pipeline, or as emitted when asked.
    public let ir: String
    /// The PTX assembly text the CUDA driver loads.
    public let ptx: String
}

/// The GPU half of the pipeline: emit the kernel for NVPTX, verify, optimise, print PTX.
enum GPUCompiler {
    /// Generates the batched-inference kernel of `shape` for `target`.
    ///
    /// - Parameter optimizedIR: whether `ir` is the module after the pass pipeline (what the
    ///   PTX comes from) or as emitted.
    /// - Throws: `.verification` / `.llvm` if LLVM fails.
    static func compile(
        _ shape: MLPShape, options: JITOptions, target: TargetDescription, optimizedIR: Bool = true
    ) throws -> PTXListing {
        let machine = try TargetMachine(gpu: target, optimization: options.optimization)
        // NOTE: a GPU has no C math library: tanh and sigmoid call the built-in routines
        // (`Sources/JIT/Math`), defined in the module, whatever `options.mathLibrary` says.
        let module = Module(name: "mlp_gpu", context: try Context(), builtInMath: true)
        module.setTarget(machine)
        let sample = GPUSampleEmitter(shape: shape, precision: options.precision, addressSpace: 1)
        try GPUKernelEmitter(sample: sample).emit(into: module)
        try module.verify()
        let emitted = optimizedIR ? nil : module.irText
        try PassPipeline.run(on: module, pipelineText: pipeline(options.optimization), machine: machine, vectorize: false)
        try module.verify()
        let ptx = try machine.emitAssembly(module)
        return PTXListing(target: target, kernelName: GPUKernelEmitter.name, ir: emitted ?? module.irText, ptx: ptx)
    }

    /// Inlining of `@mlp_sample` into the kernel, then (O1-O3) the cleanup of the CPU kernels.
    ///
    /// NOTE (numerics): like every pipeline of this package it adds no fast-math flags, so no
    /// pass reassociates a sum or contracts a multiply-add.
    static func pipeline(_ level: JITOptions.OptimizationLevel) -> String {
        level == .o0 ? "always-inline" : "always-inline,globaldce,function(sroa,early-cse,\(PassPipeline.instcombine),simplifycfg)"
    }
}
