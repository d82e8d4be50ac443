import Foundation
import Micrograd

/// Seeded random `Value` graphs that use every op of ``OpCatalogue``, with shared (reused)
/// nodes and valid domains.
///
/// The same seed gives the same graph. Values stay moderate (|x| ≲ 10²) and away from the
/// points where an op is undefined or not smooth (each row's `smooth` repair moves the drawn
/// operands there), so interpreter, JIT and finite differences can all be compared on them; a
/// node larger than 10 in magnitude is rescaled by a constant to magnitude 4.
public enum RandomGraph {
    /// A custom op (sine) for interpreter-only graphs; the JIT rejects custom ops.
    public static let sine = CustomOp(name: "sin", forward: { Foundation.sin($0) }, derivative: { Foundation.cos($0) })

    /// Makes a graph of `leaves` inputs (uniform in [-2, 2]) and `nodes` generated nodes.
    ///
    /// Every catalogue row (and ``sine`` when `includeCustom`) appears in every graph of at
    /// least that many nodes.
    ///
    /// - Parameters:
    ///   - includeCustom: whether the custom op ``sine`` is used; leave it false for JIT tests.
    /// - Returns: the output (the sum of every node no other node uses) and the input leaves.
    public static func make(
        seed: UInt64, leaves leafCount: Int = 3, nodes nodeCount: Int = 24, includeCustom: Bool = false
    ) -> (output: Value, leaves: [Value]) {
        var random = RandomSource(seed: seed)
        let leaves = (0..<leafCount).map { Value(random.nextUniform(-2, 2), label: "x\($0)") }
        var pool = leaves
        var uses = [Int](repeating: 0, count: leafCount)
        // Row indices of the catalogue; -1 stands for the custom op.
        let kinds = Array(OpCatalogue.all.indices) + (includeCustom ? [-1] : [])
        var schedule = kinds.shuffled(using: &random)
        while schedule.count < nodeCount {
            schedule.append(kinds[Int(random.next() % UInt64(kinds.count))])
        }
        for kind in schedule.prefix(nodeCount) {
            let arity = kind < 0 ? 1 : OpCatalogue.all[kind].arity
            var picked = [pick(pool, &random)]
            if arity == 2 {
                // NOTE: about one binary node in six uses the same operand twice (x·x, x - x, ...).
                picked.append(random.next() % 6 == 0 ? picked[0] : pick(pool, &random))
            }
            for index in picked { uses[index] += 1 }
            let operands = picked.map { pool[$0] }
            let node: Value
            if kind < 0 {
                node = operands[0].apply(sine)
            } else {
                let row = OpCatalogue.all[kind]
                node = row.apply(row.smooth(operands))
            }
            pool.append(rescaled(node))
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

    /// The node, scaled by a constant to magnitude 4 when it exceeds 10.
    private static func rescaled(_ x: Value) -> Value {
        Swift.abs(x.data) > 10 ? x * (4 / Swift.abs(x.data)) : x
    }
}
