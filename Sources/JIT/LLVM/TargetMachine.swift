internal import CLLVM

/// Owns an `LLVMTargetMachineRef` for the host: its triple, CPU name and CPU features
/// (AVX2/FMA on a modern x86), at a chosen code-generation level.
///
/// `~Copyable` with a consuming hand-over: `LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine`
/// destroys the machine it is given, so `intoJITTargetMachineBuilder()` ends Swift's ownership.
struct TargetMachine: ~Copyable {
    let ref: LLVMTargetMachineRef

    /// A target machine for the host CPU and all its features.
    init(hostWithOptimization level: JITOptions.OptimizationLevel) throws {
        try self.init(for: try TargetDescription.host(), optimization: level)
    }

    /// A target machine for `target`'s triple, CPU and features, for the JIT.
    init(for target: TargetDescription, optimization level: JITOptions.OptimizationLevel) throws {
        try initializeNativeTarget()
        try self.init(target, cpu: target.cpu, level: level, relocation: LLVMRelocDefault,
                      codeModel: LLVMCodeModelJITDefault)
    }

    /// The one place a machine is made: `target`'s triple and features with `cpu`, the code
    /// generator at `level`, the relocation and code models given. The target must have been
    /// initialised (`initializeNativeTarget`, `initializeAllTargets`).
    ///
    /// - Throws: `JITError.unsupportedTarget` when the linked LLVM has no backend for the
    ///   triple, `JITError.llvm` when LLVM makes no machine.
    init(
        _ target: TargetDescription, cpu: String, level: JITOptions.OptimizationLevel,
        relocation: LLVMRelocMode, codeModel: LLVMCodeModel
    ) throws {
        let triple = target.triple
        var llvmTarget: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        if LLVMGetTargetFromTriple(triple, &llvmTarget, &message) != 0 {
            throw JITError.unsupportedTarget("no LLVM target for \(triple): \(takeMessage(message))")
        }
        guard let machine = LLVMCreateTargetMachine(
            llvmTarget, triple, cpu, target.features, level.codeGenLevel, relocation, codeModel
        ) else {
            throw JITError.llvm("could not create a target machine for \(triple) (\(target.cpu))")
        }
        ref = machine
    }

    deinit { LLVMDisposeTargetMachine(ref) }

    /// The target triple, e.g. `x86_64-pc-linux-gnu`.
    var triple: String { takeMessage(LLVMGetTargetMachineTriple(ref)) }

    /// The CPU name, e.g. `skylake`.
    var cpu: String { takeMessage(LLVMGetTargetMachineCPU(ref)) }

    /// The data layout string modules for this machine must carry.
    var dataLayout: String {
        let layout = LLVMCreateTargetDataLayout(ref)
        defer { LLVMDisposeTargetData(layout) }
        return takeMessage(LLVMCopyStringRepOfTargetData(layout))
    }

    /// Hands the machine to ORC as the template of the JIT's code generator.
    consuming func intoJITTargetMachineBuilder() -> LLVMOrcJITTargetMachineBuilderRef {
        let machine = ref
        discard self
        return LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(machine)
    }
}

extension JITOptions.OptimizationLevel {
    var codeGenLevel: LLVMCodeGenOptLevel {
        switch self {
        case .o0: LLVMCodeGenLevelNone
        case .o1: LLVMCodeGenLevelLess
        case .o2: LLVMCodeGenLevelDefault
        case .o3: LLVMCodeGenLevelAggressive
        }
    }
}
