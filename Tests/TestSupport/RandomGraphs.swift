import Foundation
import Micrograd

/// Seeded random `Value` graphs that use every op, with shared (reused) nodes and valid domains.
///
/// The same seed gives the same graph. Values stay moderate (|x| ≲ 10²) and away from the
/// points where an op is undefined or not smooth, so interpreter, JIT and finite differences
/// can all be compared on them:
/// - `log`, `pow` with a non-integer or negative exponent, and the base of `pow(Value)` get an
///   operand of at least 0.5 (`x·x + 0.5` when the drawn one is smaller);
/// - division (also of a constant) gets a denominator of magnitude at least 0.5 (same repair);
/// - `exp` and the exponent of `pow(Value)` get `tanh(x)` when the operand is large;
/// - `relu` gets an operand at least 0.5 away from its kink (`x ± 0.5`);
/// - a node larger than 10 in magnitude is rescaled by a constant to magnitude 4.
public enum RandomGraph {
    /// The kinds of node the generator makes (each appears in every graph of at least this many nodes).
    public enum Kind: CaseIterable, Sendable {
        case add, subtract, multiply, divide, negate, power, powerValue, relu, tanh, exp, log, sigmoid, custom
        /// A `Double` on either side of `+ - * /` (`x + c`, `c - x`, ...: the ops with a constant operand).
        case constant
    }

    /// A custom op (sine) for interpreter-only graphs; the JIT rejects custom ops.
    public static let sine = CustomOp(name: "sin", forward: { Foundation.sin($0) }, derivative: { Foundation.cos($0) })

    /// Makes a graph of `leaves` inputs (uniform in [-2, 2]) and `nodes` generated nodes.
    ///
    /// - Parameters:
    ///   - includeCustom: whether `Kind.custom` (``sine``) is used; leave it false for JIT tests.
    /// - Returns: the output (the sum of every node no other node uses) and the input leaves.
    public static func make(
        seed: UInt64, leaves leafCount: Int = 3, nodes nodeCount: Int = 24, includeCustom: Bool = false
    ) -> (output: Value, leaves: [Value]) {
        var random = RandomSource(seed: seed)
        let leaves = (0..<leafCount).map { Value(random.nextUniform(-2, 2), label: "x\($0)") }
        var pool = leaves
        var uses = [Int](repeating: 0, count: leafCount)
        let kinds = Kind.allCases.filter { includeCustom || $0 != .custom }
        var schedule = kinds.shuffled(using: &random)
        while schedule.count < nodeCount {
            schedule.append(kinds[Int(random.next() % UInt64(kinds.count))])
        }
        for kind in schedule.prefix(nodeCount) {
            let a = pick(pool, &random)
            // NOTE: about one binary node in six uses the same operand twice (x·x, x - x, ...).
            let b = random.next() % 6 == 0 ? a : pick(pool, &random)
            uses[a] += 1
            if kind.isBinary { uses[b] += 1 }
            let node = rescaled(build(kind, pool[a], pool[b], &random))
            pool.append(node)
            uses.append(0)
        }
        let sinks = pool.indices.filter { $0 >= leafCount && uses[$0] == 0 }.map { pool[$0] }
        return (sinks.sum(), leaves)
    }

    /// An operand index: half the time one of the three newest nodes (depth), else any (reuse).
    private static func pick(_ pool: [Value], _ random: inout RandomSource) -> Int {
        if random.next() % 2 == 0 {
            let recent = Swift.min(3, pool.count)
            return pool.count - 1 - Int(random.next() % UInt64(recent))
        }
        return Int(random.next() % UInt64(pool.count))
    }

    private static func build(_ kind: Kind, _ a: Value, _ b: Value, _ random: inout RandomSource) -> Value {
        switch kind {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / awayFromZero(b)
        case .negate: return -a
        case .power:
            let exponents: [Double] = [2, 3, -1, 0.5, -0.5, 1.5]
            let exponent = exponents[Int(random.next() % UInt64(exponents.count))]
            let isPositiveInteger = exponent == 2 || exponent == 3
            return (isPositiveInteger ? a : positive(a)).pow(exponent)
        case .powerValue: return positive(a).pow(abs(b.data) > 2 ? b.tanh() : b)
        case .relu: return (abs(a.data) < 0.5 ? a + (a.data >= 0 ? 0.5 : -0.5) : a).relu()
        case .tanh: return a.tanh()
        case .exp: return (a.data > 3 ? a.tanh() : a).exp()
        case .log: return positive(a).log()
        case .sigmoid: return a.sigmoid()
        case .custom: return a.apply(sine)
        case .constant:
            // A constant of magnitude 0.5 to 2 (so `x / c` stays moderate), either sign.
            let magnitude = random.nextUniform(0.5, 2)
            let c = random.next() % 2 == 0 ? magnitude : -magnitude
            switch random.next() % 8 {
            case 0: return a + c
            case 1: return c + a
            case 2: return a - c
            case 3: return c - a
            case 4: return a * c
            case 5: return c * a
            case 6: return a / c
            default: return c / awayFromZero(a)
            }
        }
    }

    /// `x` when it is at least 0.5, else `x·x + 0.5`.
    private static func positive(_ x: Value) -> Value {
        x.data >= 0.5 ? x : x * x + 0.5
    }

    /// `x` when its magnitude is at least 0.5, else `x·x + 0.5`.
    private static func awayFromZero(_ x: Value) -> Value {
        abs(x.data) >= 0.5 ? x : x * x + 0.5
    }

    /// The node, scaled by a constant to magnitude 4 when it exceeds 10.
    private static func rescaled(_ x: Value) -> Value {
        abs(x.data) > 10 ? x * (4 / abs(x.data)) : x
    }
}

extension RandomGraph.Kind {
    /// Whether the kind takes two operands drawn from the pool.
    var isBinary: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .powerValue: true
        default: false
        }
    }
}
