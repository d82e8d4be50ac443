/// The back half of the pipeline: emit a module, verify it, optimise it, hand it to LLJIT.
///
/// Each compilation gets its own LLVM context, target machine and LLJIT; nothing is shared
/// between compilations except the one-time target initialisation.
///
/// NOTE (design, measured): one LLJIT per compiled object costs ~0.5 ms to create plus ~1.5 ms
/// of first-use code-generator setup, which a process-wide LLJIT with a resource tracker per
/// object would save. But an LLJIT made through the C API compiles with a single
/// `TargetMachine` that is not safe to use from two threads at once, so a shared one would need
/// a process-wide lock around every compilation. Per-object LLJITs keep compilations parallel
/// and independent, and releasing one frees exactly its code.
enum Compiler {
    /// Builds the module `emit` fills in, for the host, verified; optimised when `optimize`.
    static func module(
        named name: String, options: JITOptions, optimize: Bool, pipeline: PassPipeline.Kind = .standard,
        emit: (borrowing Module) throws -> Void
    ) throws -> Module {
        let machine = try TargetMachine(for: try options.target(), optimization: options.optimization)
        return try module(named: name, options: options, optimize: optimize, pipeline: pipeline, machine: machine, emit: emit)
    }

    /// Compiles what `emit` emits to native code and returns it with the address of `entry`.
    ///
    /// One target machine serves the pass pipeline, then becomes the template of the JIT's code
    /// generator (host CPU, features, level).
    static func compile(
        named name: String, entry: String, options: JITOptions, pipeline: PassPipeline.Kind = .standard,
        emit: (borrowing Module) throws -> Void
    ) throws -> NativeCode {
        let machine = try TargetMachine(for: try options.target(), optimization: options.optimization)
        let module = try module(
            named: name, options: options, optimize: true, pipeline: pipeline, machine: machine, emit: emit)
        let jit = try LLJIT(machine: machine)
        try jit.add(module.intoThreadSafeModule())
        return NativeCode(jit: jit, address: try jit.address(of: entry))
    }

    /// The textual IR of what `emit` emits, before or after optimisation.
    static func ir(
        named name: String, options: JITOptions, optimized: Bool, pipeline: PassPipeline.Kind = .standard,
        emit: (borrowing Module) throws -> Void
    ) throws -> String {
        try module(named: name, options: options, optimize: optimized, pipeline: pipeline, emit: emit).irText
    }

    private static func module(
        named name: String, options: JITOptions, optimize: Bool, pipeline: PassPipeline.Kind,
        machine: borrowing TargetMachine, emit: (borrowing Module) throws -> Void
    ) throws -> Module {
        let builtInMath = options.usesBuiltInMath(on: try options.target())
        let module = Module(name: name, context: try Context(), builtInMath: builtInMath)
        module.setTarget(machine)
        try emit(module)
        try module.verify()
        if optimize {
            try PassPipeline.run(on: module, kind: pipeline, level: options.optimization, machine: machine)
        }
        return module
    }
}

/// Machine code in memory: the LLJIT that owns it and the address of its entry function.
///
/// NOTE (lifetime): the code is valid exactly as long as this object; releasing it disposes the
/// LLJIT, which frees the code. Holders keep it in a stored property next to the function
/// pointer they cast from `address`, so the pointer never outlives the code.
final class NativeCode {
    let jit: LLJIT
    let address: UInt64

    init(jit: LLJIT, address: UInt64) {
        self.jit = jit
        self.address = address
    }

    /// The entry point as a Swift function pointer of type `type` (a `@convention(c)` type).
    func entry<F>(as type: F.Type) -> F {
        unsafeBitCast(UInt(address), to: type)
    }

    /// Another function of the same code, by symbol, as a Swift function pointer of type `type`.
    ///
    /// - Throws: `JITError.llvm` when the code has no such symbol.
    func entry<F>(named symbol: String, as type: F.Type) throws -> F {
        unsafeBitCast(UInt(try jit.address(of: symbol)), to: type)
    }
}
