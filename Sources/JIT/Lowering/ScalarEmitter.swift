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
        call(function, arguments, name: name)
    }

    /// Calls a math function of the compiled precision with `arguments`.
    func call(_ function: MathFunction, _ arguments: [IRValue], name: String) -> IRValue {
        builder.call(math.callee(function, for: type, float32: precision == .float32), arguments, name: name)
    }

    /// Calls `function` once per element of the arrays `arguments` (one per argument of the
    /// function, `count` elements each), each result replacing its first argument
    /// (`MathDeclarations.batchCallee`).
    func callBatch(_ function: MathFunction, _ arguments: [IRValue], count: Int) {
        let callee = math.batchCallee(function, for: type, float32: precision == .float32)
        _ = builder.call(callee, arguments + [builder.index(count)], name: "")
    }

    /// Converts a loaded `double` to the compiled precision (no-op in Float64).
    func fromDouble(_ value: IRValue, name: String) -> IRValue {
        precision == .float32 ? builder.truncate(value, to: type, name: name) : value
    }

    /// Converts a value of the compiled precision to `double` (no-op in Float64).
    func toDouble(_ value: IRValue, name: String) -> IRValue {
        precision == .float32 ? builder.extend(value, to: builder.context.double, name: name) : value
    }

    /// `x <= 0 ? 0 : x`, as the engine computes it: -0 gives +0, NaN stays NaN.
    func relu(_ x: IRValue, name: String) -> IRValue {
        builder.relu(x, zero: constant(0), name: name)
    }

    /// `a < b ? b : (b <= a ? a : a + b)`, the engine's `maximum` (NaN when either is NaN).
    func maximum(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        let ordered = builder.select(
            builder.fcmp(.lessThanOrEqual, b, a, name: "\(name).ge"), a, builder.fadd(a, b, name: "\(name).nan"),
            name: "\(name).o")
        return builder.select(builder.fcmp(.lessThan, a, b, name: "\(name).lt"), b, ordered, name: name)
    }

    /// `b < a ? b : (a <= b ? a : a + b)`, the engine's `minimum` (NaN when either is NaN).
    func minimum(_ a: IRValue, _ b: IRValue, name: String) -> IRValue {
        let ordered = builder.select(
            builder.fcmp(.lessThanOrEqual, a, b, name: "\(name).le"), a, builder.fadd(a, b, name: "\(name).nan"),
            name: "\(name).o")
        return builder.select(builder.fcmp(.lessThan, b, a, name: "\(name).gt"), b, ordered, name: name)
    }

    /// The engine's `Op.clamp`: `r = x < lower ? lower : x`, then `r > upper ? upper : r`.
    func clamp(_ x: IRValue, lower: Double, upper: Double, name: String) -> IRValue {
        let low = constant(lower), high = constant(upper)
        let raised = builder.select(builder.fcmp(.lessThan, x, low, name: "\(name).lo"), low, x, name: "\(name).r")
        return builder.select(builder.fcmp(.greaterThan, raised, high, name: "\(name).hi"), high, raised, name: name)
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

extension IRBuilder {
    /// `x <= 0 ? 0 : x` on a scalar or lane by lane on a vector (`zero` of the same type): the
    /// engine's relu, so -0 gives +0 and NaN stays NaN.
    func relu(_ x: IRValue, zero: IRValue, name: String) -> IRValue {
        select(fcmp(.lessThanOrEqual, x, zero, name: "\(name).off"), zero, x, name: name)
    }
}
