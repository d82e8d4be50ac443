import Foundation

extension Op {
    /// The local partial derivatives of the op, `(d out / d lhs, d out / d rhs)`.
    ///
    /// - Parameters:
    ///   - lhs: the first operand's value.
    ///   - rhs: the second operand's value (0 for unary ops).
    ///   - out: the op's own forward value (several derivatives are cheapest in terms of it).
    ///
    /// NOTE: `pow` with a `Value` exponent: d/d exponent is `out * log(base)`, defined for a
    /// positive base. For a zero base whose result is 0 it is taken as 0 (the limit); for a
    /// negative base it is NaN, as is the result itself for a non-integer exponent.
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
        case .power(let exponent): (exponent * Foundation.pow(lhs, exponent - 1), 0)
        case .powerValue: (rhs * Foundation.pow(lhs, rhs - 1), Op.exponentPartial(base: lhs, out: out))
        case .relu: (out > 0 ? 1 : 0, 0)
        case .tanh: (1 - out * out, 0)
        case .exp: (out, 0)
        case .log: (1 / lhs, 0)
        case .sigmoid: (out * (1 - out), 0)
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

    /// d(base ** e)/de = out * log(base): 0 when out is 0 at a zero base, NaN for a negative base.
    @inlinable
    public static func exponentPartial(base: Double, out: Double) -> Double {
        if base > 0 { return out * Foundation.log(base) }
        if out == 0 { return 0 }
        return .nan
    }
}
