internal import CLLVM

extension Context {
    /// Makes the context drop the names of values (`%mul12`), which big programs do not need
    /// printed: LLVM then keeps no name strings or symbol-table entries for them.
    func discardValueNames() { LLVMContextSetDiscardValueNames(ref, 1) }

    /// Whether the context drops the names of values (see `discardValueNames()`).
    var discardsValueNames: Bool { LLVMContextShouldDiscardValueNames(ref) != 0 }
}
