internal import CLLVM

extension TargetMachine {
    /// A target machine that generates position-independent object files in the small code
    /// model, for pieces that LLJIT links from memory (`ObjectFile`).
    ///
    /// NOTE (compile time): the JIT's default (`LLVMCodeModelJITDefault`, the large model on
    /// x86-64) makes every call and constant an absolute 64-bit address, and x86's fast
    /// instruction selector (O0) gives up on such calls and falls back to SelectionDAG; in the
    /// small model calls go through the linker's stubs and constants are RIP-relative.
    init(objectsFor target: TargetDescription, optimization level: JITOptions.OptimizationLevel) throws {
        try initializeNativeTarget()
        try self.init(target, cpu: target.cpu, level: level, relocation: LLVMRelocPIC, codeModel: LLVMCodeModelSmall)
    }
}

extension TargetMachine {
    /// A target machine for an exported object (`Export`): any target the linked LLVM has,
    /// position-independent code (but on wasm) in the target's default code model, so the
    /// object links into a shared library, an executable or an app.
    init(exportingFor target: TargetDescription, optimization level: JITOptions.OptimizationLevel) throws {
        try initializeAllTargets()
        // NOTE: some backends abort the process on a CPU name they do not know, `generic`
        // included (RISC-V wants `generic-rv64`); the empty name is every backend's baseline.
        let cpu = target.cpu == "generic" ? "" : target.cpu
        // NOTE: position-independent wasm is Emscripten's dynamic linking: LLVM 19 addresses data
        // through `__memory_base`, which a plain `wasm-ld --no-entry` link does not define. Wasm
        // objects are linked statically into one module, so they take the default model.
        let relocation = target.architecture.hasPrefix("wasm") ? LLVMRelocDefault : LLVMRelocPIC
        try self.init(target, cpu: cpu, level: level, relocation: relocation, codeModel: LLVMCodeModelDefault)
    }
}
