import Foundation

// Activations and elementary functions. Each computes its forward value through `Op.evaluate`,
// the single place where an op's numerics are defined.

extension Value {
    /// `max(self, 0)`; its gradient is 1 where the output is positive, else 0.
    public __consuming func relu() -> Value {
        Value(data: data > 0 ? data : 0, op: .relu, self)
    }

    /// Hyperbolic tangent; finite for every finite input (`tanh(±1000)` is ±1).
    ///
    /// NOTE: micrograd's `(exp(2x) - 1) / (exp(2x) + 1)` is NaN from x ≈ 355 on; libm's tanh is not.
    public __consuming func tanh() -> Value {
        Value(data: Foundation.tanh(data), op: .tanh, self)
    }

    /// Natural exponential.
    public __consuming func exp() -> Value {
        Value(data: Foundation.exp(data), op: .exp, self)
    }

    /// Natural logarithm (NaN for negative input, -inf at 0).
    public __consuming func log() -> Value {
        Value(data: Foundation.log(data), op: .log, self)
    }

    /// Logistic function, computed without overflow for large |x| (see `Op.stableSigmoid`).
    public __consuming func sigmoid() -> Value {
        Value(data: Op.stableSigmoid(data), op: .sigmoid, self)
    }

    /// Applies a user-defined unary op.
    public __consuming func apply(_ op: CustomOp) -> Value {
        Value(data: op.forward(data), op: .custom(op), self)
    }
}
