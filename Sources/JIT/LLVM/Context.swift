internal import CLLVM

/// Owns one LLVM context, created for a single compilation.
///
/// The context lives inside an ORC `ThreadSafeContext`, because that is what a module must be
/// wrapped in to be handed to LLJIT. There is no global context.
///
/// NOTE (lifetime): `ThreadSafeContext` is reference counted inside ORC. Disposing ours in `deinit`
/// drops only our reference; a module already handed to the JIT keeps the context alive as long
/// as the JIT needs it. Modules not yet handed over retain this object, so the context always
/// outlives them.
final class Context {
    let threadSafe: LLVMOrcThreadSafeContextRef
    let ref: LLVMContextRef

    init() throws {
        try initializeNativeTarget()
        threadSafe = LLVMOrcCreateNewThreadSafeContext()
        ref = LLVMOrcThreadSafeContextGetContext(threadSafe)
    }

    deinit {
        LLVMOrcDisposeThreadSafeContext(threadSafe)
    }
}
