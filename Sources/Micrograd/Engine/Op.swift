/// The primitive operations of the graph.
///
/// A `Value` records which op produced it and its operands, so the interpreter (`Value.backward()`),
/// the tracer (DOT) and the JIT all read the same facts. Each op is one row per concern: its
/// name, symbol and arity in ``descriptor`` (below), its forward value in `Op+Evaluate.swift`, its
/// local derivative in `Op+Derivative.swift`, and (in the JIT module) its lowering and adjoint.
///
/// NaN and infinity follow IEEE 754 and PyTorch (see `Op+Evaluate.swift` and
/// `Op+Derivative.swift`): a NaN operand gives a NaN result for every op but `pow(NaN, 0)` = 1,
/// and the gradient conventions at kinks and at 0 are PyTorch's.
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
    /// `children[0]` where it is positive or NaN, else `+0`.
    case relu
    /// Hyperbolic tangent.
    case tanh
    /// Natural exponential.
    case exp
    /// Natural logarithm.
    case log
    /// Logistic function `1 / (1 + exp(-x))`.
    case sigmoid
    /// Square root (NaN below 0).
    case sqrt
    /// Absolute value.
    case abs
    /// Sine (radians).
    case sin
    /// Cosine (radians).
    case cos
    /// The larger of `children[0]` and `children[1]`; NaN when either is NaN.
    case maximum
    /// The smaller of `children[0]` and `children[1]`; NaN when either is NaN.
    case minimum
    /// `children[0]` clamped to `[lower, upper]` (PyTorch's `clamp(min, max)`); NaN stays NaN.
    case clamp(lower: Double, upper: Double)
    /// A user-defined unary op: the interpreter runs it; the JIT reports it as unsupported.
    case custom(CustomOp)
    /// A neuron's pre-activation, `bias + w0 * x0 + w1 * x1 + ...`, in one node of `1 + 2n`
    /// operands ordered `[bias, w0, x0, w1, x1, ...]` (see ``Value/weightedSum(bias:weights:inputs:)``).
    ///
    /// NOTE (numerics): summed left to right with each product and each sum rounded, so the
    /// value is bit-identical to the chain `bias + w0 * x0 + w1 * x1 ...` of binary nodes.
    case weightedSum

    /// What an op is called and how many operands it takes.
    public struct Descriptor: Sendable, Equatable {
        /// A name usable as an identifier (`add`, `mul`, `pow`), for generated code.
        public let mnemonic: String
        /// A short symbol for pictures (`+`, `*`, `ReLU`, `**3.0`).
        public let symbol: String
        /// The number of operands, or nil for a variadic op (`.weightedSum`).
        public let arity: Int?

        init(_ mnemonic: String, symbol: String? = nil, arity: Int?) {
            self.mnemonic = mnemonic
            self.symbol = symbol ?? mnemonic
            self.arity = arity
        }
    }

    /// The op's name, symbol and arity: one row per op.
    public var descriptor: Descriptor {
        switch self {
        case .leaf: Descriptor("leaf", symbol: "", arity: 0)
        case .add: Descriptor("add", symbol: "+", arity: 2)
        case .subtract: Descriptor("sub", symbol: "-", arity: 2)
        case .multiply: Descriptor("mul", symbol: "*", arity: 2)
        case .divide: Descriptor("div", symbol: "/", arity: 2)
        case .negate: Descriptor("neg", arity: 1)
        case .addConstant(let c): Descriptor("addc", symbol: "+ \(c)", arity: 1)
        case .subtractConstant(let c): Descriptor("subc", symbol: "- \(c)", arity: 1)
        case .subtractFromConstant(let c): Descriptor("rsubc", symbol: "\(c) -", arity: 1)
        case .multiplyByConstant(let c): Descriptor("mulc", symbol: "* \(c)", arity: 1)
        case .divideByConstant(let c): Descriptor("divc", symbol: "/ \(c)", arity: 1)
        case .divideConstant(let c): Descriptor("rdivc", symbol: "\(c) /", arity: 1)
        case .power(let exponent): Descriptor("pow", symbol: "**\(exponent)", arity: 1)
        case .powerValue: Descriptor("powv", symbol: "**", arity: 2)
        case .relu: Descriptor("relu", symbol: "ReLU", arity: 1)
        case .tanh: Descriptor("tanh", arity: 1)
        case .exp: Descriptor("exp", arity: 1)
        case .log: Descriptor("log", arity: 1)
        case .sigmoid: Descriptor("sigmoid", arity: 1)
        case .sqrt: Descriptor("sqrt", symbol: "√", arity: 1)
        case .abs: Descriptor("abs", symbol: "|x|", arity: 1)
        case .sin: Descriptor("sin", arity: 1)
        case .cos: Descriptor("cos", arity: 1)
        case .maximum: Descriptor("max", arity: 2)
        case .minimum: Descriptor("min", arity: 2)
        case .clamp(let lower, let upper): Descriptor("clamp", symbol: "clamp[\(lower), \(upper)]", arity: 1)
        case .custom(let op): Descriptor("custom", symbol: op.name, arity: 1)
        case .weightedSum: Descriptor("wsum", symbol: "Σwx+b", arity: nil)
        }
    }

    /// The number of operands the op takes, or nil for a variadic op (`.weightedSum`).
    public var arity: Int? { descriptor.arity }

    /// A short symbol for pictures and IR names (`+`, `*`, `ReLU`, `**3.0`).
    public var symbol: String { descriptor.symbol }

    /// A name usable as an identifier (`add`, `mul`, `pow`), for generated code.
    public var mnemonic: String { descriptor.mnemonic }

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

    /// Two custom ops are equal when they are the same object.
    public static func == (lhs: CustomOp, rhs: CustomOp) -> Bool { lhs === rhs }
    /// Hashes the object's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
