internal import CLLVM

extension MathDeclarations {
    /// A loop over arrays that calls `function` once per element: `void @mgrad.batch.NAME.f64(
    /// double* xs, [double* ys,] i64 count)` computes `xs[i] = NAME(xs[i][, ys[i]])` for `i` in
    /// `0..<count`, through `callee(function, ...)`, so each result is the one a
    /// call of its own gives. Defined in the module on first use, internal to it.
    ///
    /// A piece calls it for a batch of library calls (`PieceSchedule`): one call site for all
    /// of them, which the branch predictor keeps.
    func batchCallee(_ function: MathFunction, for type: IRType, float32: Bool) -> Function {
        let pointer = type.pointer, int64 = context.int64
        let signature = context.void.function(Array(repeating: pointer, count: function.arity) + [int64])
        let name = "mgrad.batch.\(function.rawValue).\(float32 ? "f32" : "f64")"
        if let existing = LLVMGetNamedFunction(module, name) { return Function(ref: existing, type: signature) }
        let callee = self.callee(function, for: type, float32: float32)
        let batch = Function(ref: LLVMAddFunction(module, name, signature.ref), type: signature)
        LLVMSetLinkage(batch.ref, LLVMInternalLinkage)
        let arrays = (0..<function.arity).map { batch.parameter($0, name: $0 == 0 ? "xs" : "ys") }
        let count = batch.parameter(function.arity, name: "count")
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: batch.appendBlock("entry", in: context))
        _ = builder.loop("call", runtimeCount: count, in: batch) { i, _ in
            let addresses = arrays.map { builder.elementPointer(type, $0, i, name: "p") }
            let arguments = addresses.map { builder.load(type, from: $0, name: "x") }
            builder.store(builder.call(callee, arguments, name: "r"), to: addresses[0])
            return []
        }
        builder.retVoid()
        return batch
    }
}
