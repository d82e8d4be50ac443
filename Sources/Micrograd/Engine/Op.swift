/// The primitive operations of the graph.
///
/// A `Value` records which op produced it and its operands, so the interpreter (`Value.backward()`),
/// the tracer (DOT) and the JIT all read the same facts. The forward value of each op lives in
/// `Op+Evaluate.swift`, its local derivative in `Op+Derivative.swift`, one row per op in each.
public enum Op: Hashable, Sendable {
    /// No operands: a constant, a parameter or an input.
    case leaf
    /// `children[0] + children[1]`.
    case add
    /// `children[0] - children[1]`.
    case subtract
    /// `children[0] * children[1]`.
    case multiply
    /// `children[0] / children[1]`.
    case divide
    /// `-children[0]`.
    case negate
    /// `children[0] + c` (also `c + x`: one node, no constant leaf).
    case addConstant(Double)
    /// `children[0] - c`.
    case subtractConstant(Double)
    /// `c - children[0]`.
    case subtractFromConstant(Double)
    /// `children[0] * c` (also `c * x`).
    case multiplyByConstant(Double)
    /// `children[0] / c`.
    case divideByConstant(Double)
    /// `c / children[0]`.
    case divideConstant(Double)
    /// `children[0]` raised to a constant exponent.
    case power(Double)
    /// `children[0]` raised to the value of `children[1]`.
    case powerValue
    /// `max(children[0], 0)`.
    case relu
    /// Hyperbolic tangent.
    case tanh
    /// Natural exponential.
    case exp
    /// Natural logarithm.
    case log
    /// Logistic function `1 / (1 + exp(-x))`.
    case sigmoid
    /// A user-defined unary op: the interpreter runs it; the JIT reports it as unsupported.
    case custom(CustomOp)
    /// A neuron's pre-activation, `bias + w0 * x0 + w1 * x1 + ...`, in one node of `1 + 2n`
    /// operands ordered `[bias, w0, x0, w1, x1, ...]` (see ``Value/weightedSum(bias:weights:inputs:)``).
    ///
    /// NOTE (numerics): summed left to right with each product and each sum rounded, so the
    /// value is bit-identical to the chain `bias + w0 * x0 + w1 * x1 ...` of binary nodes.
    case weightedSum

    /// The number of operands the op takes, or nil for a variadic op (`.weightedSum`).
    public var arity: Int? {
        switch self {
        case .leaf: 0
        case .add, .subtract, .multiply, .divide, .powerValue: 2
        case .negate, .power, .relu, .tanh, .exp, .log, .sigmoid, .custom: 1
        case .addConstant, .subtractConstant, .subtractFromConstant, .multiplyByConstant, .divideByConstant,
             .divideConstant: 1
        case .weightedSum: nil
        }
    }

    /// A short symbol for pictures and IR names (`+`, `*`, `relu`, `**3.0`).
    public var symbol: String {
        switch self {
        case .leaf: ""
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .negate: "neg"
        case .addConstant(let c): "+ \(c)"
        case .subtractConstant(let c): "- \(c)"
        case .subtractFromConstant(let c): "\(c) -"
        case .multiplyByConstant(let c): "* \(c)"
        case .divideByConstant(let c): "/ \(c)"
        case .divideConstant(let c): "\(c) /"
        case .power(let exponent): "**\(exponent)"
        case .powerValue: "**"
        case .relu: "ReLU"
        case .tanh: "tanh"
        case .exp: "exp"
        case .log: "log"
        case .sigmoid: "sigmoid"
        case .custom(let op): op.name
        case .weightedSum: "Σwx+b"
        }
    }

    /// A name usable as an identifier (`add`, `mul`, `pow`), for generated code.
    public var mnemonic: String {
        switch self {
        case .leaf: "leaf"
        case .add: "add"
        case .subtract: "sub"
        case .multiply: "mul"
        case .divide: "div"
        case .negate: "neg"
        case .addConstant: "addc"
        case .subtractConstant: "subc"
        case .subtractFromConstant: "rsubc"
        case .multiplyByConstant: "mulc"
        case .divideByConstant: "divc"
        case .divideConstant: "rdivc"
        case .power: "pow"
        case .powerValue: "powv"
        case .relu: "relu"
        case .tanh: "tanh"
        case .exp: "exp"
        case .log: "log"
        case .sigmoid: "sigmoid"
        case .custom: "custom"
        case .weightedSum: "wsum"
        }
    }

    /// The binary op and constant operand that an op with a constant stands for: `.addConstant(1)`
    /// is `.add` with the constant 1 second, `.subtractFromConstant(1)` is `.subtract` with 1
    /// first; nil for the other ops.
    ///
    /// NOTE: `x + 1` is one node holding the constant, not a `+` node over a constant leaf as in
    /// micrograd: the same arithmetic (bit-identical values and gradients), one allocation fewer.
    /// The JIT expands it back into a constant slot and the binary op.
    public var constantOperand: (op: Op, constant: Double, constantIsFirst: Bool)? {
        switch self {
        case .addConstant(let c): (.add, c, false)
        case .subtractConstant(let c): (.subtract, c, false)
        case .subtractFromConstant(let c): (.subtract, c, true)
        case .multiplyByConstant(let c): (.multiply, c, false)
        case .divideByConstant(let c): (.divide, c, false)
        case .divideConstant(let c): (.divide, c, true)
        default: nil
        }
    }
}

/// A unary operation defined by closures: its forward value and its derivative.
///
/// The interpreter evaluates and differentiates it like a built-in op. The JIT cannot lower
/// closures and throws an unsupported-operation error for graphs that contain one.
public final class CustomOp: Hashable, Sendable {
    /// The name shown in pictures and error messages.
    public let name: String
    @usableFromInline let forward: @Sendable (Double) -> Double
    @usableFromInline let derivative: @Sendable (Double) -> Double

    /// Creates an op from its forward function and its derivative (both of the operand).
    public init(
        name: String,
        forward: @escaping @Sendable (Double) -> Double,
        derivative: @escaping @Sendable (Double) -> Double
    ) {
        self.name = name
        self.forward = forward
        self.derivative = derivative
    }

    public static func == (lhs: CustomOp, rhs: CustomOp) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
