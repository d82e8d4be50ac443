internal import CLLVM

/// The math functions the lowerings call: LLVM intrinsics where LLVM has one (`llvm.exp`,
/// `llvm.log`, `llvm.pow`, `llvm.fabs`, `llvm.sqrt`, `llvm.sin`, `llvm.cos`), libm otherwise
/// (`tanh`, `tanhf`).
///
/// NOTE: `llvm.exp/log/pow/sin/cos.f64` are code-generated as calls to libm's `exp`, `log`,
/// `pow`, `sin` and `cos`, the very functions the interpreter calls, so results match bit for
/// bit; `llvm.sqrt` and `llvm.fabs` are single exact instructions. LLVM has no tanh intrinsic;
/// `tanh` is resolved in the current process by the JIT's symbol generator.
///
/// NOTE (exact mode): `pow` is called as libm's `pow` (`powf`), declared `nobuiltin`, not as
/// `llvm.pow`: LLVM's library-call simplifier rewrites `pow(x, 0.5)` into `sqrt`, `pow(x, 2)`
/// into `x * x` and `pow(2, x)` into `exp2`, each correctly rounded where libm's `pow` may be
/// half an ulp off, so the results could differ from the interpreter's in the last bit (seen
/// in 2 of 15,000 random graphs).
enum MathFunction: String, CaseIterable {
    case exp, log, pow, fabs, tanh, sqrt, sin, cos

    /// The number of floating-point arguments.
    var arity: Int { self == .pow ? 2 : 1 }

    /// The symbol to call for a `float` (`float32`) or `double` argument.
    func symbol(float32: Bool) -> String {
        switch self {
        case .tanh: float32 ? "tanhf" : "tanh"
        case .pow: float32 ? "powf" : "pow"
        default: "llvm.\(rawValue).\(float32 ? "f32" : "f64")"
        }
    }
}

/// A non-owning view of a module under construction that declares math functions on first use:
/// the one place every emitter (programs, gradients, MLP kernels, training) gets them from.
///
/// With the built-in math library (`JITOptions.MathLibrary.builtIn`, or a target without a C
/// math library), `exp`, `log`, `pow`, `tanh`, `sin` and `cos` are *defined* in the module as
/// internal functions (`MathRoutine`), so the module calls no library at all.
///
/// NOTE (lifetime): valid only while the `Module` it came from is alive and not handed over;
/// emitters use it during emission only and never store it.
struct MathDeclarations {
    let module: LLVMModuleRef
    let context: Context
    fileprivate let builtIn: Bool

    /// Whether the math functions are the built-in routines (a GPU, or `.builtIn`), not libm's.
    var isBuiltIn: Bool { builtIn }

    /// The function to call for `function` on scalars of `type` (`float` when `float32`, else
    /// `double`): a declaration of the intrinsic or libm symbol, or the built-in routine.
    func callee(_ function: MathFunction, for type: IRType, float32: Bool) -> Function {
        if builtIn, let routine = MathRoutine(function) {
            return routine.function(float32: float32, in: module, context: context)
        }
        let name = function.symbol(float32: float32)
        let signature = type.function(Array(repeating: type, count: function.arity))
        if let existing = LLVMGetNamedFunction(module, name) {
            return Function(ref: existing, type: signature)
        }
        let declaration: LLVMValueRef = LLVMAddFunction(module, name, signature.ref)
        if function == .pow {
            let kind = LLVMGetEnumAttributeKindForName("nobuiltin", 9)
            let attribute = LLVMCreateEnumAttribute(LLVMGetModuleContext(module), kind, 0)
            LLVMAddAttributeAtIndex(declaration, LLVMAttributeIndex(truncatingIfNeeded: LLVMAttributeFunctionIndex), attribute)
        }
        return Function(ref: declaration, type: signature)
    }
}

extension Module {
    /// A view that declares math functions in this module as the emitters need them.
    var mathDeclarations: MathDeclarations { MathDeclarations(module: ref, context: context, builtIn: builtInMath) }
}
