import Micrograd

/// A random graph of every op with reused nodes, over `inputCount` input leaves.
///
/// Values are kept where every op is defined and finite: `log` and `pow` take a positive operand
/// (`exp` of a squashed value, or `x*x + 0.5`), `exp` a squashed one, so results stay moderate.
struct RandomOpGraph {
    let inputs: [Value]
    let outputs: [Value]

    init(seed: UInt64, inputCount: Int = 3, operations: Int = 24, outputCount: Int = 2) {
        var random = SplitMix(seed: seed)
        let inputs = (0..<inputCount).map { Value(0, label: "x\($0)") }
        var pool: [Value] = inputs + [Value(Double.random(in: -2...2, using: &random))]
        func pick() -> Value {
            // Prefer recent nodes (deep graphs) but reuse older ones often (shared nodes).
            let recent = max(0, pool.count - 4)
            return Bool.random(using: &random) ? pool[Int.random(in: recent..<pool.count, using: &random)]
                : pool.randomElement(using: &random)!
        }
        func positive(_ v: Value) -> Value { v.tanh().exp() }  // in [1/e, e]
        for _ in 0..<operations {
            let a = pick(), b = pick()
            let node: Value
            switch Int.random(in: 0..<16, using: &random) {
            case 0: node = a + b
            case 1: node = a - b
            case 2: node = a * b
            case 3: node = a / (b * b + 0.5)
            case 4: node = -a
            case 5: node = a.tanh().pow(Double(Int.random(in: 0...4, using: &random)))
            case 6: node = positive(a).pow(Double.random(in: -1.5...2.5, using: &random))
            case 7: node = positive(a).pow(b.tanh())
            case 8: node = a.relu()
            case 9: node = a.tanh()
            case 10: node = a.tanh().exp()
            case 11: node = (a * a + 0.5).log()
            case 12: node = a.sigmoid() * 3 - 1.5
            case 13: node = a * Double.random(in: -2...2, using: &random)
            case 14: node = (a - b).sigmoid()
            default: node = positive(a).pow(Double(Int.random(in: -3 ... -1, using: &random)))
            }
            pool.append(node.tanh() * 2 + node * 0.1)  // keep magnitudes moderate, reuse `node` twice
        }
        self.inputs = inputs
        self.outputs = (0..<outputCount).map { _ in pick() }
    }

    /// Random input values in [-2, 2].
    static func inputValues(count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed ^ 0xA5A5_A5A5)
        return (0..<count).map { _ in Double.random(in: -2...2, using: &random) }
    }

    /// The interpreter's outputs at `values` (sets the inputs' data, then re-evaluates).
    func interpreted(at values: [Double]) -> [Double] {
        for (input, value) in zip(inputs, values) { input.data = value }
        return evaluate(outputs)
    }
}

/// Re-evaluates the forward pass of `roots` from their leaves' current data, with the engine's
/// own `Op.evaluate`, and returns the roots' values (Value nodes cache their data at creation).
func evaluate(_ roots: [Value]) -> [Double] {
    var values: [ObjectIdentifier: Double] = [:]
    for node in Value.topologicalOrder(of: roots) {
        let operands = node.children.map { values[ObjectIdentifier($0)]! }
        values[ObjectIdentifier(node)] = node.op == .leaf
            ? node.data
            : node.op.evaluate(operands: operands)
    }
    return roots.map { values[ObjectIdentifier($0)]! }
}
