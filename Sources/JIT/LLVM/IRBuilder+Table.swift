internal import CLLVM

/// Read-only tables of integers, for the built-in math routines.
extension IRBuilder {
    /// The module-private constant table `name` of `i32` words in the module being built,
    /// created on first use (`private unnamed_addr constant [n x i32]`).
    func constantTable(_ name: String, words: [UInt32]) -> (global: IRValue, type: IRType) {
        let int32 = context.int32
        let type = IRType(ref: LLVMArrayType(int32.ref, UInt32(words.count)))
        let module = LLVMGetGlobalParent(LLVMGetBasicBlockParent(LLVMGetInsertBlock(builderRef)))
        if let existing = LLVMGetNamedGlobal(module, name) { return (IRValue(ref: existing), type) }
        var elements: [LLVMValueRef?] = words.map { LLVMConstInt(int32.ref, UInt64($0), 0) }
        let initializer = LLVMConstArray(int32.ref, &elements, UInt32(elements.count))
        let global: LLVMValueRef = LLVMAddGlobal(module, type.ref, name)
        LLVMSetInitializer(global, initializer)
        LLVMSetGlobalConstant(global, 1)
        LLVMSetLinkage(global, LLVMPrivateLinkage)
        LLVMSetUnnamedAddress(global, LLVMGlobalUnnamedAddr)
        return (IRValue(ref: global), type)
    }

    /// `table[index]` (an `i64` index) of a table from `constantTable`, zero-extended to `i64`.
    func loadWord(_ table: (global: IRValue, type: IRType), at index: IRValue, name: String) -> IRValue {
        var indices: [LLVMValueRef?] = [context.int64.zero.ref, index.ref]
        let address = LLVMBuildInBoundsGEP2(builderRef, table.type.ref, table.global.ref, &indices, 2, "\(name).p")
        let word = IRValue(ref: LLVMBuildLoad2(builderRef, context.int32.ref, address, "\(name).w"))
        return zeroExtend(word, to: context.int64, name: name)
    }
}
