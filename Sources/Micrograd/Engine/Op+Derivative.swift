import Foundation

extension Op {
    /// The local partial derivatives of the op, `(d out / d lhs, d out / d rhs)`.
    ///
    /// - Parameters:
    ///   - lhs: the first operand's value.
    ///   - rhs: the second operand's value (0 for unary ops).
    ///   - out: the op's own forward value (several derivatives are cheapest in terms of it).
    ///
    /// NOTE (conventions, PyTorch's): relu' is 0 where the output is <= 0 (so relu'(0) = 0) and
    /// 1 elsewhere, a NaN output included; `x.pow(0)` has derivative 0 everywhere, also at 0;
    /// `pow` with a `Value` exponent sends 0 to the base where the exponent is 0, and
    /// `out * log(base)` to the exponent except 0 where the base is 0 and the exponent >= 0
    /// (NaN for a negative base); `maximum`/`minimum` at a tie send half to each side (a NaN
    /// operand: all to both); `clamp` passes the gradient where lower <= x <= upper (not for
    /// NaN); abs'(x) is the sign of x, 0 at 0 and at NaN; sqrt'(0) = +inf; `x / 0` and `log`
    /// follow IEEE 754 (±inf or NaN).
    ///
    /// NOTE: `.weightedSum` has any number of operands: it gives NaNs here. `Value.backward()`
    /// handles it explicitly; ``partials(operands:out:)`` gives its partials.
    @inlinable
    public func partials(_ lhs: Double, _ rhs: Double, out: Double) -> (Double, Double) {
        switch self {
        case .leaf: (0, 0)
        case .add: (1, 1)
        case .subtract: (1, -1)
        case .multiply: (rhs, lhs)
        case .divide: (1 / rhs, -out / rhs)
        case .negate: (-1, 0)
        case .addConstant, .subtractConstant: (1, 0)
        case .subtractFromConstant: (-1, 0)
        case .multiplyByConstant(let c): (c, 0)
        case .divideByConstant(let c): (1 / c, 0)
        case .divideConstant: (-out / lhs, 0)
        case .power(let exponent): (exponent == 0 ? 0 : exponent * Foundation.pow(lhs, exponent - 1), 0)
        case .powerValue:
            (rhs == 0 ? 0 : rhs * Foundation.pow(lhs, rhs - 1), Op.exponentPartial(base: lhs, exponent: rhs, out: out))
        case .relu: (out <= 0 ? 0 : 1, 0)
        case .tanh: (1 - out * out, 0)
        case .exp: (out, 0)
        case .log: (1 / lhs, 0)
        case .sigmoid: (out * (1 - out), 0)
        case .sqrt: (0.5 / out, 0)
        case .abs: (lhs > 0 ? 1 : (lhs < 0 ? -1 : 0), 0)
        case .sin: (Foundation.cos(lhs), 0)
        case .cos: (-Foundation.sin(lhs), 0)
        case .maximum: (lhs < rhs ? 0 : (lhs == rhs ? 0.5 : 1), lhs > rhs ? 0 : (lhs == rhs ? 0.5 : 1))
        case .minimum: (lhs > rhs ? 0 : (lhs == rhs ? 0.5 : 1), lhs < rhs ? 0 : (lhs == rhs ? 0.5 : 1))
        case .clamp(let lower, let upper): (lhs >= lower && lhs <= upper ? 1 : 0, 0)
        case .custom(let op): (op.derivative(lhs), 0)
        case .weightedSum: (.nan, .nan)
        }
    }

    /// The local partial derivatives of the op by each of its operands, in ``Value/children``
    /// order, from the operands' values and the op's own value.
    ///
    /// `.weightedSum` (`[bias, w0, x0, w1, x1, ...]`) gives `[1, x0, w0, x1, w1, ...]`.
    public func partials(operands: [Double], out: Double) -> [Double] {
        guard case .weightedSum = self else {
            let (dl, dr) = partials(operands.first ?? 0, operands.count > 1 ? operands[1] : 0, out: out)
            return Array([dl, dr].prefix(operands.count))
        }
        var result = [1.0]
        var index = 1
        while index + 1 < operands.count {
            result.append(operands[index + 1])
            result.append(operands[index])
            index += 2
        }
        return result
    }

    /// d(base ** e)/de = out * log(base), except 0 where base == 0 and e >= 0 (PyTorch's
    /// convention; NaN for a negative base, as log gives).
    @inlinable
    public static func exponentPartial(base: Double, exponent: Double, out: Double) -> Double {
        base == 0 && exponent >= 0 ? 0 : out * Foundation.log(base)
    }
}
