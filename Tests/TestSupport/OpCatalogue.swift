import Foundation
import Micrograd

/// One row per op of the engine: how to build it, where it is smooth, and its edge points.
///
/// The catalogue drives the finite-difference gradient checks (MicrogradTests), the compiled ==
/// interpreted value and gradient checks (JITTests) and the random graph generator
/// (``RandomGraph``), so a new op is tested everywhere by adding its row here.
public struct OpCase: Sendable, CustomStringConvertible {
    /// A name for messages (`pow 3`, `clamp`); several rows may share an op's mnemonic.
    public let name: String
    /// The number of `Value` operands.
    public let arity: Int
    /// Builds the op on its operands.
    public let apply: @Sendable ([Value]) -> Value
    /// Moves drawn operands into the op's smooth domain (where finite differences hold and
    /// values stay finite): returns the operands to use, possibly new nodes built on them.
    public let smooth: @Sendable ([Value]) -> [Value]
    /// Points (one number per operand) away from kinks and poles, for finite differences.
    public let smoothPoints: [[Double]]
    /// Extra edge points for this op (kinks, ties, bounds), besides ``OpCatalogue/edges(arity:)``.
    public let extraEdges: [[Double]]

    public var description: String { name }

    init(
        _ name: String, arity: Int = 1,
        smooth: @escaping @Sendable ([Value]) -> [Value] = { $0 },
        smoothPoints: [[Double]]? = nil, edges extraEdges: [[Double]] = [],
        _ apply: @escaping @Sendable ([Value]) -> Value
    ) {
        self.name = name
        self.arity = arity
        self.apply = apply
        self.smooth = smooth
        let unary: [[Double]] = [[-1.7], [-0.3], [0.6], [2.2]], binary: [[Double]] = [[0.7, -1.3], [-2, 0.6], [1.4, 2.5]]
        self.smoothPoints = smoothPoints ?? (arity == 1 ? unary : binary)
        self.extraEdges = extraEdges
    }

    /// Every edge point of the op: the shared special values and the op's own.
    public var edges: [[Double]] { OpCatalogue.edges(arity: arity) + extraEdges }

    /// The op's mnemonic, read off a node it builds.
    public var mnemonic: String {
        apply((0..<arity).map { _ in Value(1) }).op.mnemonic
    }
}

/// The catalogue of every built-in op (all but leaves, weighted sums and custom ops).
public enum OpCatalogue {
    /// One row per op (several for `pow`, whose behaviour depends on its exponent).
    public static let all: [OpCase] = [
        OpCase("add", arity: 2) { $0[0] + $0[1] },
        OpCase("sub", arity: 2) { $0[0] - $0[1] },
        OpCase("mul", arity: 2) { $0[0] * $0[1] },
        OpCase("div", arity: 2, smooth: { [$0[0], awayFromZero($0[1])] }) { $0[0] / $0[1] },
        OpCase("neg") { -$0[0] },
        OpCase("addc") { $0[0] + 1.5 },
        OpCase("subc") { $0[0] - 0.75 },
        OpCase("rsubc") { 2 - $0[0] },
        OpCase("mulc") { $0[0] * -1.25 },
        OpCase("divc") { $0[0] / 0.8 },
        OpCase("rdivc", smooth: { [awayFromZero($0[0])] }) { 3 / $0[0] },
        OpCase("pow 3") { $0[0].pow(3) },
        OpCase("pow 0", edges: [[0]]) { $0[0].pow(0) },
        OpCase("pow -1.5", smooth: { [positive($0[0])] }, smoothPoints: [[0.6], [1.3], [2.4]]) { $0[0].pow(-1.5) },
        OpCase("pow 0.5", smooth: { [positive($0[0])] }, smoothPoints: [[0.6], [1.3], [2.4]]) { $0[0].pow(0.5) },
        OpCase("powv", arity: 2, smooth: { [positive($0[0]), squashed($0[1])] },
               smoothPoints: [[0.7, -1.3], [1.6, 0.6], [2.5, 1.4]], edges: [[0, 0], [0, 2], [0, -1], [-2, 0.5]]) {
            $0[0].pow($0[1])
        },
        OpCase("relu", smooth: { [awayFrom(0, $0[0])] }) { $0[0].relu() },
        OpCase("tanh") { $0[0].tanh() },
        OpCase("exp", smooth: { [squashed($0[0])] }) { $0[0].exp() },
        OpCase("log", smooth: { [positive($0[0])] }, smoothPoints: [[0.6], [1.3], [2.4]]) { $0[0].log() },
        OpCase("sigmoid", edges: [[1000], [-1000]]) { $0[0].sigmoid() },
        OpCase("sqrt", smooth: { [positive($0[0])] }, smoothPoints: [[0.6], [1.3], [2.4]]) { $0[0].sqrt() },
        OpCase("abs", smooth: { [awayFrom(0, $0[0])] }) { $0[0].abs() },
        OpCase("sin") { $0[0].sin() },
        OpCase("cos") { $0[0].cos() },
        OpCase("max", arity: 2, smooth: { [$0[0], apart($0[1], from: $0[0])] }, edges: [[2, 2], [0, -0.0]]) {
            max($0[0], $0[1])
        },
        OpCase("min", arity: 2, smooth: { [$0[0], apart($0[1], from: $0[0])] }, edges: [[2, 2], [-0.0, 0]]) {
            min($0[0], $0[1])
        },
        OpCase("clamp", smooth: { [awayFrom(1.5, awayFrom(-1, $0[0]))] }, smoothPoints: [[-1.7], [0.4], [2.2]],
               edges: [[-1], [1.5], [-1.0000001], [1.5000001]]) {
            $0[0].clamp(min: -1, max: 1.5)
        },
    ]

    /// Special values every op is checked at: NaN, infinities, signed zeros, a subnormal, huge
    /// and ordinary numbers (every pair of a few of them for binary ops).
    public static func edges(arity: Int) -> [[Double]] {
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 0.5, -2.5, 1e308, 5e-324, -1e-310]
        if arity == 1 { return specials.map { [$0] } }
        let few: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -2.5, 2]
        return few.flatMap { a in few.map { b in [a, b] } }
    }

    /// `x` when it is at least 0.5, else `x·x + 0.5`.
    public static func positive(_ x: Value) -> Value { x.data >= 0.5 ? x : x * x + 0.5 }

    /// `x` when its magnitude is at least 0.5, else `x·x + 0.5`.
    public static func awayFromZero(_ x: Value) -> Value { Swift.abs(x.data) >= 0.5 ? x : x * x + 0.5 }

    /// `x` when it is at least 0.5 from `kink`, else `x` moved 0.5 further from it.
    public static func awayFrom(_ kink: Double, _ x: Value) -> Value {
        Swift.abs(x.data - kink) >= 0.5 ? x : x + (x.data >= kink ? 0.5 : -0.5)
    }

    /// `y` when it is at least 0.5 from `x`, else `y + 1` or `y - 1`, whichever is further.
    public static func apart(_ y: Value, from x: Value) -> Value {
        Swift.abs(y.data - x.data) >= 0.5 ? y : y + (y.data >= x.data ? 1 : -1)
    }

    /// `x` when it is at most 2 in magnitude, else `tanh(x)` (for `exp` and exponents).
    public static func squashed(_ x: Value) -> Value { Swift.abs(x.data) <= 2 ? x : x.tanh() }
}

/// Bitwise equality of two results, where any NaN equals any NaN (payloads are not kept by
/// LLVM's optimiser) but +0 and -0 differ.
public func sameResult(_ a: Double, _ b: Double) -> Bool {
    (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
}
