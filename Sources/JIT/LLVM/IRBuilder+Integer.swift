internal import CLLVM

/// Integer and bit-level instructions, for the built-in math routines (`Sources/JIT/Math`),
/// which read and build floating-point numbers through their bits.
///
/// NOTE: the arithmetic here wraps (no `nsw`/`nuw` flags), as two's-complement bit manipulation
/// needs; `IRBuilder.add` and `mul` stay the flagged forms the loop counters use.
extension IRBuilder {
    /// `bitcast` between types of one size (`double` <-> `i64`, `float` <-> `i32`).
    func bitcast(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildBitCast(builderRef, value.ref, type.ref, name))
    }

    func wrappingAdd(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildAdd(builderRef, a.ref, b.ref, name))
    }
    func wrappingSub(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildSub(builderRef, a.ref, b.ref, name))
    }
    func wrappingMul(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildMul(builderRef, a.ref, b.ref, name))
    }
    func and(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildAnd(builderRef, a.ref, b.ref, name))
    }
    func or(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildOr(builderRef, a.ref, b.ref, name))
    }
    func xor(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildXor(builderRef, a.ref, b.ref, name))
    }
    func shiftLeft(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildShl(builderRef, a.ref, b.ref, name))
    }
    /// Logical (zero-filling) right shift.
    func shiftRight(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildLShr(builderRef, a.ref, b.ref, name))
    }
    /// Arithmetic (sign-filling) right shift.
    func shiftRightSigned(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildAShr(builderRef, a.ref, b.ref, name))
    }

    /// An integer comparison.
    func icmp(_ predicate: IntPredicate, _ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildICmp(builderRef, predicate.llvm, a.ref, b.ref, name))
    }

    /// `zext` to a wider integer type.
    func zeroExtend(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildZExt(builderRef, value.ref, type.ref, name))
    }
    /// `trunc` to a narrower integer type.
    func truncateInteger(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildTrunc(builderRef, value.ref, type.ref, name))
    }
    /// `sitofp`: a signed integer to floating point, rounded to nearest.
    func signedToFloat(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildSIToFP(builderRef, value.ref, type.ref, name))
    }
    /// `fptosi`: floating point to a signed integer, truncating.
    ///
    /// NOTE: poison when the value does not fit (NaN, infinities, out of range); callers pass
    /// only values they have bounded first.
    func floatToSigned(_ value: IRValue, to type: IRType, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFPToSI(builderRef, value.ref, type.ref, name))
    }

    /// A floating-point comparison with an explicit LLVM predicate (ordered or unordered).
    func fcmp(raw predicate: LLVMRealPredicate, _ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFCmp(builderRef, predicate, a.ref, b.ref, name))
    }

    /// `true` where `value` is NaN (`fcmp uno value, value`).
    func isNaN(_ value: IRValue, name: String) -> IRValue {
        IRValue(ref: LLVMBuildFCmp(builderRef, LLVMRealUNO, value.ref, value.ref, name))
    }

    /// `true` where `value` is finite: `value - value == 0` (ordered), false exactly for NaN and ±inf.
    func isFinite(_ value: IRValue, name: String) -> IRValue {
        let difference = LLVMBuildFSub(builderRef, value.ref, value.ref, "\(name).d")
        return IRValue(ref: LLVMBuildFCmp(builderRef, LLVMRealOEQ, difference, value.type.zero.ref, name))
    }
}

/// The integer comparisons of the math routines.
enum IntPredicate {
    case equal, notEqual, signedLess, signedLessOrEqual, signedGreater, signedGreaterOrEqual, unsignedLess,
         unsignedGreaterOrEqual

    var llvm: LLVMIntPredicate {
        switch self {
        case .equal: LLVMIntEQ
        case .notEqual: LLVMIntNE
        case .signedLess: LLVMIntSLT
        case .signedLessOrEqual: LLVMIntSLE
        case .signedGreater: LLVMIntSGT
        case .signedGreaterOrEqual: LLVMIntSGE
        case .unsignedLess: LLVMIntULT
        case .unsignedGreaterOrEqual: LLVMIntUGE
        }
    }
}

