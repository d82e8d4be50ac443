internal import CLLVM

/// The math functions this package can emit as its own IR (range reduction, polynomials and bit
/// manipulation), for targets with no C math library (wasm32, NVPTX), where `llvm.exp` and
/// friends would become calls to undefined symbols.
///
/// Each routine is defined once per module, on first use, as an internal function named
/// `mgrad.<name>.f64` or `.f32`, marked `nounwind willreturn` (and `readnone` where it reads no
/// table). What it emits depends only on the routine and the precision, never on the host.
///
/// Largest distance from glibc 2.36's libm measured over 100,000 samples per routine and
/// precision (`MathRoutineTests`), in ulps of the precision:
///
/// | routine | method                                                           | Float64 | Float32 |
/// |---------|------------------------------------------------------------------|---------|---------|
/// | exp     | `k ln2 + r`, Taylor to r^13, 2^k scaling in two exact steps      | 1       | 1       |
/// | log     | double-double `2 atanh(s)` rounded once                          | 1       | 1       |
/// | pow     | exp of `y log|x|` in double-double, C99 special cases            | 1       | 1       |
/// | tanh    | `t / (t + 2)`, `t = expm1(2|x|)`, all in double-double           | 2 (*)   | 2 (*)   |
/// | sin/cos | Cody-Waite below 2^20, Payne-Hanek above, Taylor kernels         | 1 (**)  | 1       |
///
/// (*) where glibc's own `tanh` is 1.65 ulp from the true value (`x = 0.5309...`) and `tanhf`
/// 1.76 ulp (`x = -0.5342`): the built-in results there are the correctly rounded ones.
/// (**) `cos(6381956970095103 * 2^797)`, the double closest to a multiple of pi/2, is correctly
/// rounded here and 8 ulp off in glibc 2.36.
///
/// NOTE (targets): a module using all six in both precisions, printed with `ir(optimized: false)`
/// and compiled by hand with `llc-14` and `llc-19 -O2`, gave a wasm32 object with no undefined
/// symbol and NVPTX assembly with no `.extern` (the 2/pi table becomes a `.global`); the tests
/// check the JIT's modules for library declarations on the host.
///
/// NOTE (Float32): the `f32` routines extend the argument to `double`, call the `f64` routine
/// and round once to `float`. The double result is within about 1.5 double ulps of the true
/// value, so the one final rounding is within 0.5 float ulp plus a 2^-29 relative hair: at most
/// 1 float ulp off, usually correctly rounded.
enum MathRoutine: String, CaseIterable {
    case exp, log, pow, tanh, sin, cos

    /// The routine that replaces `function`, or nil for `sqrt` and `fabs`, which stay
    /// `llvm.sqrt` and `llvm.fabs` (single instructions on every target).
    init?(_ function: MathFunction) {
        switch function {
        case .exp: self = .exp
        case .log: self = .log
        case .pow: self = .pow
        case .tanh: self = .tanh
        case .sin: self = .sin
        case .cos: self = .cos
        case .sqrt, .fabs: return nil
        }
    }

    /// The number of arguments.
    var arity: Int { self == .pow ? 2 : 1 }

    /// The function's name in the module, e.g. `mgrad.exp.f64`.
    func symbol(float32: Bool) -> String { "mgrad.\(rawValue).\(float32 ? "f32" : "f64")" }

    /// The routine's function in `module`, defined there on first use.
    func function(float32: Bool, in module: LLVMModuleRef, context: Context) -> Function {
        let type = float32 ? context.float : context.double
        let signature = type.function(Array(repeating: type, count: arity))
        let name = symbol(float32: float32)
        if let existing = LLVMGetNamedFunction(module, name) { return Function(ref: existing, type: signature) }
        let function = Function(ref: LLVMAddFunction(module, name, signature.ref), type: signature)
        LLVMSetLinkage(function.ref, LLVMInternalLinkage)
        Self.mark(function, readsTable: self == .sin || self == .cos, in: context)
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let arguments = (0..<arity).map { function.parameter($0, name: $0 == 0 ? "x" : "y") }
        if float32 {
            // NOTE: computed in double and rounded once (see the type's doc comment).
            let wide = self.function(float32: false, in: module, context: context)
            let extended = arguments.enumerated().map { builder.extend($1, to: context.double, name: "arg\($0).d") }
            builder.ret(builder.truncate(builder.call(wide, extended, name: "d"), to: context.float, name: "r"))
        } else {
            let body = MathBody(builder: builder, function: function)
            builder.ret(emit(in: body, arguments))
        }
        return function
    }

    /// Emits the `double` routine's body; returns its result.
    private func emit(in body: MathBody, _ arguments: [IRValue]) -> IRValue {
        switch self {
        case .exp: body.exp(arguments[0])
        case .log: body.log(arguments[0])
        case .pow: body.pow(arguments[0], arguments[1])
        case .tanh: body.tanh(arguments[0])
        case .sin: body.sine(arguments[0])
        case .cos: body.cosine(arguments[0])
        }
    }

    /// `nounwind willreturn`, and no memory effects (`readnone` before LLVM 16, `memory(none)`
    /// after) unless the routine reads its constant table (sin and cos read the 2/pi bits): the
    /// optimiser may then hoist, merge or drop calls whose results go unused.
    private static func mark(_ function: Function, readsTable: Bool, in context: Context) {
        let index = LLVMAttributeIndex(truncatingIfNeeded: LLVMAttributeFunctionIndex)
        for name in ["nounwind", "willreturn"] {
            let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
            LLVMAddAttributeAtIndex(function.ref, index, LLVMCreateEnumAttribute(context.ref, kind, 0))
        }
        guard !readsTable else { return }
        // NOTE: LLVM 16 replaced the function attribute `readnone` with `memory(none)` (the
        // `memory` attribute with no effect bits set); `readnone` is then a parameter attribute.
        let name = LLVMVersion.major >= 16 ? "memory" : "readnone"
        let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
        LLVMAddAttributeAtIndex(function.ref, index, LLVMCreateEnumAttribute(context.ref, kind, 0))
    }
}
