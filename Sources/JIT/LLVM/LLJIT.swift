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
        // NOTE: the builder takes the JIT target machine builder, which took the machine.
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, machine.intoJITTargetMachineBuilder())
        var jit: LLVMOrcLLJITRef?
        // NOTE: LLVMOrcCreateLLJIT takes the builder even when it fails.
        try check(LLVMOrcCreateLLJIT(&jit, builder), "creating LLJIT")
        guard let jit else { throw JITError.llvm("LLJIT creation returned no instance") }
        // NOTE (one owner): `ref` is stored last, so until then this initializer owns `jit` and
        // disposes it on failure; once `ref` is set, only `deinit` disposes it. (Swift runs
        // `deinit` when a class initializer throws after every stored property is set, so
        // disposing in a `catch` after that point would free it twice.)
        do {
            try Self.addProcessSymbols(to: jit)
        } catch {
            consumeError(LLVMOrcDisposeLLJIT(jit))
            throw error
        }
        ref = jit
    }

    deinit {
        // NOTE: a deinit cannot throw; a failure to release JIT memory is reported nowhere else,
        // so its message is consumed (and the error disposed) here.
        consumeError(LLVMOrcDisposeLLJIT(ref))
    }

    /// Lets JIT'd code call functions of the current process (libm) by name.
    private static func addProcessSymbols(to jit: LLVMOrcLLJITRef) throws {
        var generator: LLVMOrcDefinitionGeneratorRef?
        let prefix = LLVMOrcLLJITGetGlobalPrefix(jit)
        try check(
            LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&generator, prefix, nil, nil),
            "creating the process symbol generator")
        guard let generator else { throw JITError.llvm("the process symbol generator was not created") }
        // The JITDylib takes ownership of the generator.
        LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit), generator)
    }

    /// Adds a module to the main library; code is generated lazily at the first lookup.
    func add(_ module: consuming ThreadSafeModule) throws {
        let dylib = LLVMOrcLLJITGetMainJITDylib(ref)
        // NOTE: ownership of the ThreadSafeModule passes to LLJIT even on failure.
        try check(LLVMOrcLLJITAddLLVMIRModule(ref, dylib, module.release()), "adding a module to LLJIT")
    }

    /// Adds an object file to the main library; it is linked at the first lookup of one of its symbols.
    func add(_ object: ObjectFile) throws {
        let dylib = LLVMOrcLLJITGetMainJITDylib(ref)
        // NOTE: ownership of the buffer passes to LLJIT even on failure.
        try check(LLVMOrcLLJITAddObjectFile(ref, dylib, try object.take()), "adding an object file to LLJIT")
    }

    /// Compiles (if needed) and returns the address of the function `name`.
    func address(of name: String) throws -> UInt64 {
        var address: LLVMOrcExecutorAddress = 0
        try check(LLVMOrcLLJITLookup(ref, &address, name), "looking up \(name)")
        guard address != 0 else { throw JITError.llvm("symbol \(name) has address 0") }
        return address
    }
}
