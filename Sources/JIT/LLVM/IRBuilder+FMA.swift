internal import CLLVM

/// Fused multiply-add, for the `.fast` numerics of the MLP kernels.
extension IRBuilder {
    /// `a * b + c` rounded once (`llvm.fma.*`), on scalars or vectors of `float` or `double`
    /// (all three of one type), declared in the module being built on first use.
    ///
    /// NOTE (numerics): one rounding instead of the two of `fadd(c, fmul(a, b))`; the result may
    /// differ from the unfused one in the last bit, so only `.fast` numerics emit it.
    /// NOTE (performance): a single `vfmadd231pd` where the target has FMA; without FMA LLVM
    /// calls libm's correctly rounded `fma` (slow), which is why callers check `hasFMA` first.
    func fusedMultiplyAdd(_ a: IRValue, _ b: IRValue, _ c: IRValue, name: String) -> IRValue {
        let type = a.type
        let module = LLVMGetGlobalParent(LLVMGetBasicBlockParent(LLVMGetInsertBlock(builderRef)))
        let symbol = "llvm.fma.\(Self.intrinsicSuffix(type))"
        let signature = type.function([type, type, type])
        let callee = LLVMGetNamedFunction(module, symbol) ?? LLVMAddFunction(module, symbol, signature.ref)
        return call(Function(ref: callee!, type: signature), [a, b, c], name: name)
    }

    /// `a * b + c` as the kernels' numerics choose: fused when `fused`, else a multiply and an
    /// add, each rounded (the interpreter's order: `c + a * b`).
    func multiplyAdd(_ a: IRValue, _ b: IRValue, _ c: IRValue, fused: Bool, name: String) -> IRValue {
        fused ? fusedMultiplyAdd(a, b, c, name: name) : fadd(c, fmul(a, b, name: "\(name).mul"), name: name)
    }

    /// The overload suffix of an intrinsic for `type`: `f64`, `f32`, `v8f64`, `v16f32`.
    private static func intrinsicSuffix(_ type: IRType) -> String {
        let kind = LLVMGetTypeKind(type.ref)
        if kind == LLVMVectorTypeKind {
            let element = IRType(ref: LLVMGetElementType(type.ref))
            return "v\(LLVMGetVectorSize(type.ref))\(intrinsicSuffix(element))"
        }
        return kind == LLVMFloatTypeKind ? "f32" : "f64"
    }
}
