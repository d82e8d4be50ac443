import Micrograd

/// Emits scalar arithmetic in the compiled precision: the vocabulary `Op+Lowering` and the MLP
/// lowering share (constants, math calls, activations).
struct ScalarEmitter {
    let builder: IRBuilder
    let math: MathDeclarations
    let precision: JITOptions.Precision

    /// `double` or `float`.
    var type: IRType { precision == .float32 ? builder.context.float : builder.context.double }

    func constant(_ value: Double) -> IRValue { type.constant(value) }

    /// Calls a math function of the compiled precision.
    func call(_ function: MathFunction, _ arguments: IRValue..., name: String) -> IRValue {
        let callee = math.callee(function, for: type, float32: precision == .float32)
        return builder.call(callee, arguments, name: name)
    }

    /// Converts a loaded `double` to the compiled precision (no-op in Float64).
    func fromDouble(_ value: IRValue, name: String) -> IRValue {
        precision == .float32 ? builder.truncate(value, to: type, name: name) : value
    }

    /// Converts a value of the compiled precision to `double` (no-op in Float64).
    func toDouble(_ value: IRValue, name: String) -> IRValue {
        precision == .float32 ? builder.extend(value, to: builder.context.double, name: name) : value
    }

    /// `x > 0 ? x : 0`, as the engine computes it (NaN and -0 give +0).
    func relu(_ x: IRValue, name: String) -> IRValue {
        let positive = builder.fcmp(.greaterThan, x, constant(0), name: "\(name).pos")
        return builder.select(positive, x, constant(0), name: name)
    }

    /// The engine's stable sigmoid, branch-free.
    ///
    /// NOTE: with `t = exp(-|x|)`, `x >= 0 ? 1 / (1 + t) : t / (1 + t)` is exactly the engine's
    /// `1 / (1 + exp(-x))` for x >= 0 and `exp(x) / (1 + exp(x))` for x < 0: the same operations
    /// on the same operands, so Float64 results are bit for bit equal. One `exp` instead of two.
    func sigmoid(_ x: IRValue, name: String) -> IRValue {
        let magnitude = call(.fabs, x, name: "\(name).abs")
        let t = call(.exp, builder.fneg(magnitude, name: "\(name).nabs"), name: "\(name).t")
        let nonNegative = builder.fcmp(.greaterThanOrEqual, x, constant(0), name: "\(name).nonneg")
        let numerator = builder.select(nonNegative, constant(1), t, name: "\(name).num")
        let denominator = builder.fadd(constant(1), t, name: "\(name).den")
        return builder.fdiv(numerator, denominator, name: name)
    }

    /// `x ** exponent` for a constant exponent.
    ///
    /// NOTE: integer exponents up to 2^16 in magnitude are multiplications by repeated squaring
    /// (a negative one is `1 / x^|k|`); each multiplication rounds, so the result can differ from
    /// libm's correctly rounded `pow` by a few ulps, far inside the 1e-12 tolerance. Other
    /// exponents call `llvm.pow`, i.e. libm's `pow`, as the engine does.
    func power(_ x: IRValue, _ exponent: Double, name: String) -> IRValue {
        guard exponent == exponent.rounded(), abs(exponent) <= 65_536 else {
            return call(.pow, x, constant(exponent), name: name)
        }
        let magnitude = Int(abs(exponent))
        if magnitude == 0 { return constant(1) }  // pow(x, 0) == 1 for every x, NaN included
        guard exponent < 0 else { return integerPower(x, magnitude, name: name) }
        return builder.fdiv(constant(1), integerPower(x, magnitude, name: "\(name).abs"), name: name)
    }

    /// `x^k` for `k >= 1` by binary exponentiation, about 2·log2(k) multiplications.
    private func integerPower(_ x: IRValue, _ k: Int, name: String) -> IRValue {
        if k == 1 { return x }
        let half = integerPower(x, k / 2, name: "\(name).h")
        let square = builder.fmul(half, half, name: k % 2 == 0 ? name : "\(name).sq")
        return k % 2 == 0 ? square : builder.fmul(square, x, name: name)
    }

    /// The activation of a layer, applied to a neuron's sum.
    func activation(_ activation: Activation, _ x: IRValue, name: String) -> IRValue {
        switch activation {
        case .linear: x
        case .relu: relu(x, name: name)
        case .tanh: call(.tanh, x, name: name)
        case .sigmoid: sigmoid(x, name: name)
        }
    }
}
