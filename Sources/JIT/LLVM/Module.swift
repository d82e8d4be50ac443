internal import CLLVM

/// Owns one `LLVMModuleRef` until it is handed to the JIT.
///
/// Ownership is in the type: `Module` is `~Copyable`, disposes its module in `deinit`, and
/// `intoThreadSafeModule()` is `consuming`, so after the hand-over the compiler forbids any
/// further use and the module is not disposed twice.
///
/// NOTE (lifetime): the module must die before its context. It keeps the context retained
/// through an `Unmanaged` reference (a stored class reference would forbid `discard self`),
/// released in `deinit` right after `LLVMDisposeModule`, or released at the hand-over, once the
/// `ThreadSafeModule` holds ORC's own reference to the context.
struct Module: ~Copyable {
    let ref: LLVMModuleRef
    private let owner: Unmanaged<Context>
    /// Whether math functions are the built-in routines (`Sources/JIT/Math`) rather than libm.
    let builtInMath: Bool

    /// Creates an empty module in `context`; its emitters call the built-in math routines when
    /// `builtInMath`.
    init(name: String, context: Context, builtInMath: Bool = false) {
        ref = LLVMModuleCreateWithNameInContext(name, context.ref)
        owner = Unmanaged.passRetained(context)
        self.builtInMath = builtInMath
    }

    deinit {
        LLVMDisposeModule(ref)
        owner.release()
    }

    /// The context the module lives in.
    var context: Context { owner.takeUnretainedValue() }

    /// The module's textual IR.
    var irText: String { takeMessage(LLVMPrintModuleToString(ref)) }

    /// Runs LLVM's verifier; throws `JITError.verification` with LLVM's message on bad IR.
    func verify() throws {
        var message: UnsafeMutablePointer<CChar>?
        let failed = LLVMVerifyModule(ref, LLVMReturnStatusAction, &message)
        let text = takeMessage(message)
        if failed != 0 { throw JITError.verification(text) }
    }

    /// Sets the target triple and data layout the code will be generated for.
    func setTarget(_ machine: borrowing TargetMachine) {
        LLVMSetTarget(ref, machine.triple)
        LLVMSetDataLayout(ref, machine.dataLayout)
    }

    /// Adds a function with external linkage.
    func addFunction(_ name: String, type: IRType) -> Function {
        Function(ref: LLVMAddFunction(ref, name, type.ref), type: type)
    }

    /// Gives the module up to a `ThreadSafeModule`, the form LLJIT accepts.
    ///
    /// - Throws: `JITError.llvm` if ORC returns no module (then the module is disposed here).
    consuming func intoThreadSafeModule() throws -> ThreadSafeModule {
        // ORC takes ownership of the module; the ThreadSafeModule shares the context.
        let moduleRef = ref
        let context = owner
        discard self
        // NOTE: our reference to the context is released only after ORC has taken its own.
        defer { context.release() }
        guard let handle = LLVMOrcCreateNewThreadSafeModule(moduleRef, context.takeUnretainedValue().threadSafe)
        else {
            // NOTE: nothing took the module, so it is still ours to dispose, exactly once.
            LLVMDisposeModule(moduleRef)
            throw JITError.llvm("ORC did not create a thread-safe module")
        }
        return ThreadSafeModule(ref: handle)
    }
}

/// Owns an ORC `ThreadSafeModule` until LLJIT takes it.
struct ThreadSafeModule: ~Copyable {
    fileprivate let ref: LLVMOrcThreadSafeModuleRef

    fileprivate init(ref: LLVMOrcThreadSafeModuleRef) { self.ref = ref }

    deinit { LLVMOrcDisposeThreadSafeModule(ref) }

    /// Ends Swift's ownership; the caller must pass the handle to a consuming LLVM call.
    consuming func release() -> LLVMOrcThreadSafeModuleRef {
        let handle = ref
        discard self
        return handle
    }
}
