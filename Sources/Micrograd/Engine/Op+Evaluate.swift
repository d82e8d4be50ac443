import Foundation

extension Op {
    /// The forward value of the op from its operands' values (`rhs` is ignored by unary ops).
    ///
    /// One row per op; the JIT's lowering table mirrors these rows, operation for operation.
    ///
    /// NOTE (NaN): every row gives NaN for a NaN operand (IEEE 754, as PyTorch), except
    /// `pow(NaN, 0)`, which is 1 as in C and PyTorch. `relu`, `maximum`, `minimum` and `clamp`
    /// are written so that NaN falls through their comparisons to the result: relu(NaN) is NaN,
    /// not 0 (a NaN input must never become a plausible number).
    ///
    /// NOTE: `.weightedSum` has any number of operands and cannot be given as two: it gives NaN
    /// here. Use ``evaluate(operands:)``, which handles every op.
    @inlinable
    public func evaluate(_ lhs: Double, _ rhs: Double = 0) -> Double {
        switch self {
        case .leaf: lhs
        case .add: lhs + rhs
        case .subtract: lhs - rhs
        case .multiply: lhs * rhs
        case .divide: lhs / rhs
        case .negate: -lhs
        case .addConstant(let c): lhs + c
        case .subtractConstant(let c): lhs - c
        case .subtractFromConstant(let c): c - lhs
        case .multiplyByConstant(let c): lhs * c
        case .divideByConstant(let c): lhs / c
        case .divideConstant(let c): c / lhs
        case .power(let exponent): Foundation.pow(lhs, exponent)
        case .powerValue: Foundation.pow(lhs, rhs)
        case .relu: lhs <= 0 ? 0 : lhs
        case .tanh: Foundation.tanh(lhs)
        case .exp: Foundation.exp(lhs)
        case .log: Foundation.log(lhs)
        case .sigmoid: Op.stableSigmoid(lhs)
        case .sqrt: Foundation.sqrt(lhs)
        case .abs: Swift.abs(lhs)
        case .sin: Foundation.sin(lhs)
        case .cos: Foundation.cos(lhs)
        case .maximum: lhs < rhs ? rhs : (rhs <= lhs ? lhs : lhs + rhs)
        case .minimum: rhs < lhs ? rhs : (lhs <= rhs ? lhs : lhs + rhs)
        case .clamp(let lower, let upper): Op.clamp(lhs, lower: lower, upper: upper)
        case .custom(let op): op.forward(lhs)
        case .weightedSum: .nan
        }
    }

    /// The forward value of the op from all its operands' values, in ``Value/children`` order.
    ///
    /// NOTE (numerics): `.weightedSum` (`[bias, w0, x0, w1, x1, ...]`) adds `bias + w0 * x0`,
    /// then `+ w1 * x1`, ..., rounding each product and each sum, as `Value.weightedSum` does.
    public func evaluate(operands: [Double]) -> Double {
        guard case .weightedSum = self else {
            return evaluate(operands.first ?? 0, operands.count > 1 ? operands[1] : 0)
        }
        var total = operands[0]
        var index = 1
        while index + 1 < operands.count {
            let product = operands[index] * operands[index + 1]
            total = total + product
            index += 2
        }
        return total
    }

    /// `x` clamped to `[lower, upper]` as PyTorch's `clamp(min, max)`: `min(max(x, lower), upper)`
    /// (so `upper` wins when `lower > upper`), and NaN stays NaN.
    @inlinable
    public static func clamp(_ x: Double, lower: Double, upper: Double) -> Double {
        let raised = x < lower ? lower : x
        return raised > upper ? upper : raised
    }

    /// `1 / (1 + exp(-x))` without overflow.
    ///
    /// NOTE: for x < 0 the form `exp(x) / (1 + exp(x))` is used, so `exp` never sees a large
    /// positive argument; `stableSigmoid(-1000)` is 0 and `stableSigmoid(1000)` is 1, both finite.
    @inlinable
    public static func stableSigmoid(_ x: Double) -> Double {
        if x >= 0 {
            return 1 / (1 + Foundation.exp(-x))
        }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
