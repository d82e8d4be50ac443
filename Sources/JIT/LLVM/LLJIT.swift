internal import CLLVM

/// Owns an ORC `LLJIT` instance: a JIT session whose main library can see the process's
/// symbols (libm's `tanh`, `exp`, `pow`, ...).
///
/// Disposing the LLJIT frees all code and data it emitted, so a compiled object that owns one
/// releases its machine code when it is released.
final class LLJIT {
    private let ref: LLVMOrcLLJITRef

    /// Creates a JIT whose code generator uses `machine` as its template (CPU, features, level).
    init(machine: consuming TargetMachine) throws {
        let builder = LLVMOrcCreateLLJITBuilder()
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, machine.intoJITTargetMachineBuilder())
        var jit: LLVMOrcLLJITRef?
        // NOTE: LLVMOrcCreateLLJIT takes the builder even when it fails.
        try check(LLVMOrcCreateLLJIT(&jit, builder), "creating LLJIT")
        guard let jit else { throw JITError.llvm("LLJIT creation returned no instance") }
        ref = jit
        do {
            try addProcessSymbols()
        } catch {
            consumeError(LLVMOrcDisposeLLJIT(jit))
            throw error
        }
    }

    deinit {
        // NOTE: a deinit cannot throw; a failure to release JIT memory is reported nowhere else,
        // so its message is consumed (and the error disposed) here.
        consumeError(LLVMOrcDisposeLLJIT(ref))
    }

    /// Lets JIT'd code call functions of the current process (libm) by name.
    private func addProcessSymbols() throws {
        var generator: LLVMOrcDefinitionGeneratorRef?
        let prefix = LLVMOrcLLJITGetGlobalPrefix(ref)
        try check(
            LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&generator, prefix, nil, nil),
            "creating the process symbol generator")
        // The JITDylib takes ownership of the generator.
        LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(ref), generator)
    }

    /// Adds a module to the main library; code is generated lazily at the first lookup.
    func add(_ module: consuming ThreadSafeModule) throws {
        let dylib = LLVMOrcLLJITGetMainJITDylib(ref)
        // NOTE: ownership of the ThreadSafeModule passes to LLJIT even on failure.
        try check(LLVMOrcLLJITAddLLVMIRModule(ref, dylib, module.release()), "adding a module to LLJIT")
    }

    /// Compiles (if needed) and returns the address of the function `name`.
    func address(of name: String) throws -> UInt64 {
        var address: LLVMOrcExecutorAddress = 0
        try check(LLVMOrcLLJITLookup(ref, &address, name), "looking up \(name)")
        guard address != 0 else { throw JITError.llvm("symbol \(name) has address 0") }
        return address
    }
}
