internal import CLLVM

/// One-time initialisation of the host target, its assembly printer and parser.
///
/// NOTE: a global `let` is initialised lazily and exactly once, under `swift_once`, so this is
/// thread-safe without locks. It is the only global state of the JIT.
private let nativeTargetInitialization: Bool = {
    // The LLVMInitializeNative* helpers return 1 on failure.
    let target = LLVMInitializeNativeTarget()
    let printer = LLVMInitializeNativeAsmPrinter()
    _ = LLVMInitializeNativeAsmParser()
    return target == 0 && printer == 0
}()

/// Initialises the native target once per process; throws if this host has no LLVM backend.
func initializeNativeTarget() throws {
    guard nativeTargetInitialization else {
        throw JITError.llvm("this host's target is not available in the linked LLVM")
    }
}
