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
        let triple = target.triple
        var llvmTarget: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        if LLVMGetTargetFromTriple(triple, &llvmTarget, &message) != 0 {
            throw JITError.unsupportedTarget("no LLVM target for \(triple): \(takeMessage(message))")
        }
        guard let machine = LLVMCreateTargetMachine(
            llvmTarget, triple, target.cpu, target.features, level.codeGenLevel, LLVMRelocPIC, LLVMCodeModelSmall
        ) else {
            throw JITError.llvm("could not create a target machine for \(triple) (\(target.cpu))")
        }
        ref = machine
    }
}
