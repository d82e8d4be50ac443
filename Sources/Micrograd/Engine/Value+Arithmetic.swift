import Foundation

// Arithmetic on values, with a `Double` on either side (`2 * x`, `1 + x`, `10.0 / f`).
// A `Double` operand is held by the node's op (`x + 1` is one `.addConstant(1)` node), where
// micrograd makes a constant leaf and a `+` node: the same arithmetic, so values and gradients
// are bit-identical, with one node fewer to allocate and walk. Compound assignments build new
// nodes (`c += c + 1` rebinds `c` to a new node, as Python's `+=` on a Value does).
//
// NOTE: performance. The operands are taken `__owned` (and `self` `__consuming`): a new node
// retains its operands, and a temporary operand (`a * b` in `a * b + c`) can then hand its
// reference over instead of being retained here and released by the caller. Compound
// assignments likewise move the old value into the new node.

extension Value {
    /// The sum of two values (an `.add` node); the gradient flows unchanged to both.
    public static func + (lhs: __owned Value, rhs: __owned Value) -> Value {
        Value(data: lhs.data + rhs.data, op: .add, lhs, rhs)
    }

    /// The difference of two values (a `.subtract` node).
    public static func - (lhs: __owned Value, rhs: __owned Value) -> Value {
        Value(data: lhs.data - rhs.data, op: .subtract, lhs, rhs)
    }

    /// The product of two values (a `.multiply` node); each operand's gradient is the other's value times the upstream.
    public static func * (lhs: __owned Value, rhs: __owned Value) -> Value {
        Value(data: lhs.data * rhs.data, op: .multiply, lhs, rhs)
    }

    /// The quotient of two values (a `.divide` node); division by zero follows IEEE 754 (±inf or NaN).
    public static func / (lhs: __owned Value, rhs: __owned Value) -> Value {
        Value(data: lhs.data / rhs.data, op: .divide, lhs, rhs)
    }

    /// The negated value (a `.negate` node).
    public static prefix func - (operand: __owned Value) -> Value {
        Value(data: -operand.data, op: .negate, operand)
    }

    /// The value plus a constant: one `.addConstant` node.
    public static func + (lhs: __owned Value, rhs: Double) -> Value {
        Value(data: lhs.data + rhs, op: .addConstant(rhs), lhs)
    }
    /// A constant plus the value: one `.addConstant` node.
    public static func + (lhs: Double, rhs: __owned Value) -> Value {
        Value(data: lhs + rhs.data, op: .addConstant(lhs), rhs)
    }
    /// The value minus a constant: one `.subtractConstant` node.
    public static func - (lhs: __owned Value, rhs: Double) -> Value {
        Value(data: lhs.data - rhs, op: .subtractConstant(rhs), lhs)
    }
    /// A constant minus the value: one `.subtractFromConstant` node.
    public static func - (lhs: Double, rhs: __owned Value) -> Value {
        Value(data: lhs - rhs.data, op: .subtractFromConstant(lhs), rhs)
    }
    /// The value times a constant: one `.multiplyByConstant` node.
    public static func * (lhs: __owned Value, rhs: Double) -> Value {
        Value(data: lhs.data * rhs, op: .multiplyByConstant(rhs), lhs)
    }
    /// A constant times the value: one `.multiplyByConstant` node.
    public static func * (lhs: Double, rhs: __owned Value) -> Value {
        Value(data: lhs * rhs.data, op: .multiplyByConstant(lhs), rhs)
    }
    /// The value divided by a constant: one `.divideByConstant` node.
    public static func / (lhs: __owned Value, rhs: Double) -> Value {
        Value(data: lhs.data / rhs, op: .divideByConstant(rhs), lhs)
    }
    /// A constant divided by the value: one `.divideConstant` node.
    public static func / (lhs: Double, rhs: __owned Value) -> Value {
        Value(data: lhs / rhs.data, op: .divideConstant(lhs), rhs)
    }

    /// Rebinds `lhs` to a new node `lhs + rhs` (as Python's `+=` on a Value does).
    public static func += (lhs: inout Value, rhs: __owned Value) { lhs = (consume lhs) + rhs }
    /// Rebinds `lhs` to a new node `lhs - rhs`.
    public static func -= (lhs: inout Value, rhs: __owned Value) { lhs = (consume lhs) - rhs }
    /// Rebinds `lhs` to a new node `lhs * rhs`.
    public static func *= (lhs: inout Value, rhs: __owned Value) { lhs = (consume lhs) * rhs }
    /// Rebinds `lhs` to a new node `lhs / rhs`.
    public static func /= (lhs: inout Value, rhs: __owned Value) { lhs = (consume lhs) / rhs }
    /// Rebinds `lhs` to a new node `lhs + rhs` (one `.addConstant` node).
    public static func += (lhs: inout Value, rhs: Double) { lhs = (consume lhs) + rhs }
    /// Rebinds `lhs` to a new node `lhs - rhs` (one `.subtractConstant` node).
    public static func -= (lhs: inout Value, rhs: Double) { lhs = (consume lhs) - rhs }
    /// Rebinds `lhs` to a new node `lhs * rhs` (one `.multiplyByConstant` node).
    public static func *= (lhs: inout Value, rhs: Double) { lhs = (consume lhs) * rhs }
    /// Rebinds `lhs` to a new node `lhs / rhs` (one `.divideByConstant` node).
    public static func /= (lhs: inout Value, rhs: Double) { lhs = (consume lhs) / rhs }

    /// The value raised to a constant exponent (`x.pow(3)`, `x.pow(-1.5)`).
    ///
    /// A negative base with a non-integer exponent gives NaN, as `Foundation.pow` does. The
    /// derivative of `x.pow(0)` is 0 everywhere, also at 0 (PyTorch's convention).
    public __consuming func pow(_ exponent: Double) -> Value {
        applying(.power(exponent))
    }

    /// The value raised to another value; the gradient flows to both base and exponent.
    ///
    /// The exponent's gradient is `result * log(base)`: 0 where the base is 0 and the exponent
    /// is at least 0, and NaN for a negative base (whose result is NaN too unless the exponent
    /// is an integer). The base's gradient is 0 where the exponent is 0 (PyTorch's conventions).
    public __consuming func pow(_ exponent: __owned Value) -> Value {
        applying(.powerValue, exponent)
    }
}

extension Sequence where Element == Value {
    /// The sum of the values, added left to right (an empty sequence sums to a constant 0).
    public func sum() -> Value {
        var iterator = makeIterator()
        guard var total = iterator.next() else { return Value(0) }
        while let next = iterator.next() { total = total + next }
        return total
    }
}
