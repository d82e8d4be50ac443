import Foundation

extension Op {
    /// The forward value of the op from its operands' values (`rhs` is ignored by unary ops).
    ///
    /// One row per op; the JIT's lowering table mirrors these rows.
    @inlinable
    public func evaluate(_ lhs: Double, _ rhs: Double = 0) -> Double {
        switch self {
        case .leaf: lhs
        case .add: lhs + rhs
        case .subtract: lhs - rhs
        case .multiply: lhs * rhs
        case .divide: lhs / rhs
        case .negate: -lhs
        case .power(let exponent): Foundation.pow(lhs, exponent)
        case .powerValue: Foundation.pow(lhs, rhs)
        case .relu: lhs > 0 ? lhs : 0
        case .tanh: Foundation.tanh(lhs)
        case .exp: Foundation.exp(lhs)
        case .log: Foundation.log(lhs)
        case .sigmoid: Op.stableSigmoid(lhs)
        case .custom(let op): op.forward(lhs)
        }
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
