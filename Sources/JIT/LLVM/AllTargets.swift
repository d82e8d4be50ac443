internal import CLLVM

/// One-time initialisation of every target the linked LLVM was built with (their target info,
/// code generator, machine-code layer and assembly printer), for ahead-of-time export to other
/// processors: Debian's LLVM has AArch64, ARM, RISC-V, WebAssembly, NVPTX and more.
///
/// NOTE: a global `let` is initialised lazily and exactly once, under `swift_once`. The
/// `LLVMInitializeAll*` helpers are inline functions of `llvm-c/Target.h` that call one
/// initialiser per target listed in the LLVM build's `Targets.def`; they cannot fail.
private let allTargetsInitialization: Bool = {
    LLVMInitializeAllTargetInfos()
    LLVMInitializeAllTargets()
    LLVMInitializeAllTargetMCs()
    LLVMInitializeAllAsmPrinters()
    return true
}()

/// Initialises every target of the linked LLVM once per process (the host's too).
func initializeAllTargets() throws {
    try initializeNativeTarget()
    _ = allTargetsInitialization
}
