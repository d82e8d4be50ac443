// Activations and elementary functions: one public method per op, each computing its value
// through `Op.evaluate`, the single place where an op's numerics are defined.

extension Value {
    /// The result of the unary `op` applied to this value.
    @inline(__always)
    __consuming func applying(_ op: Op) -> Value {
        Value(data: op.evaluate(data), op: op, self)
    }

    /// The result of the binary `op` applied to this value and `other`.
    @inline(__always)
    __consuming func applying(_ op: Op, _ other: __owned Value) -> Value {
        Value(data: op.evaluate(data, other.data), op: op, self, other)
    }

    /// The value where it is positive, else `+0`; NaN stays NaN (as in PyTorch and micrograd).
    ///
    /// Its gradient is 0 where the output is at most 0 (relu'(0) = 0, as PyTorch), else 1.
    public __consuming func relu() -> Value { applying(.relu) }

    /// Hyperbolic tangent; finite for every finite input (`tanh(±1000)` is ±1).
    ///
    /// NOTE: micrograd's `(exp(2x) - 1) / (exp(2x) + 1)` is NaN from x ≈ 355 on; libm's tanh is not.
    public __consuming func tanh() -> Value { applying(.tanh) }

    /// Natural exponential.
    public __consuming func exp() -> Value { applying(.exp) }

    /// Natural logarithm (NaN for negative input, -inf at 0).
    public __consuming func log() -> Value { applying(.log) }

    /// Logistic function, computed without overflow for large |x| (see `Op.stableSigmoid`).
    public __consuming func sigmoid() -> Value { applying(.sigmoid) }

    /// Square root: NaN below 0; its gradient `0.5 / sqrt(x)` is +inf at 0.
    public __consuming func sqrt() -> Value { applying(.sqrt) }

    /// Absolute value; its gradient is the sign of the value (0 at 0).
    public __consuming func abs() -> Value { applying(.abs) }

    /// Sine of the value in radians.
    public __consuming func sin() -> Value { applying(.sin) }

    /// Cosine of the value in radians.
    public __consuming func cos() -> Value { applying(.cos) }

    /// The value clamped to `[lower, upper]`, as PyTorch's `clamp(min:max:)`: NaN stays NaN,
    /// `upper` wins when `lower > upper`, and the gradient passes where `lower <= x <= upper`.
    public __consuming func clamp(min lower: Double, max upper: Double) -> Value {
        applying(.clamp(lower: lower, upper: upper))
    }

    /// Applies a user-defined unary op.
    public __consuming func apply(_ op: CustomOp) -> Value {
        applying(.custom(op))
    }
}

/// The larger of two values; NaN when either is NaN. At a tie each gets half the gradient.
public func max(_ a: __owned Value, _ b: __owned Value) -> Value { a.applying(.maximum, b) }

/// The smaller of two values; NaN when either is NaN. At a tie each gets half the gradient.
public func min(_ a: __owned Value, _ b: __owned Value) -> Value { a.applying(.minimum, b) }
