internal import CLLVM

/// What a GPU kernel and its helpers need of a function: calling convention, linkage, and
/// attributes beyond `noalias`.
extension Function {
    /// LLVM's `ptx_kernel` calling convention (`CallingConv::PTX_Kernel`): the function becomes
    /// a `.entry` the CUDA driver can launch.
    static let ptxKernelCallingConvention: UInt32 = 71

    /// Sets the calling convention (e.g. `ptxKernelCallingConvention`).
    func setCallingConvention(_ convention: UInt32) { LLVMSetFunctionCallConv(ref, convention) }

    /// Adds a function attribute without a value (`alwaysinline`, `nounwind`, ...).
    func addAttribute(_ name: String, in context: Context) {
        addEnumAttribute(name, at: LLVMAttributeIndex(truncatingIfNeeded: LLVMAttributeFunctionIndex), in: context)
    }

    /// Adds an attribute without a value to parameter `index` (`readonly`, `noalias`, ...).
    func addAttribute(_ name: String, parameter index: Int, in context: Context) {
        addEnumAttribute(name, at: UInt32(index + 1), in: context)
    }

    private func addEnumAttribute(_ name: String, at index: LLVMAttributeIndex, in context: Context) {
        let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
        precondition(kind != 0, "LLVM knows no attribute '\(name)'")
        LLVMAddAttributeAtIndex(ref, index, LLVMCreateEnumAttribute(context.ref, kind, 0))
    }
}
