@testable import Micrograd
import Testing

/// The fused `.weightedSum` node against the chain of binary nodes it replaces: value and
/// gradients bit for bit (no tolerance), graph walks, pictures, deep graphs.
@Suite("Weighted sum: one n-ary node for a neuron's pre-activation")
struct WeightedSumTests {
    /// The chain `bias + w0 * x0 + w1 * x1 + ...` of binary nodes, left to right.
    static func chain(bias: Value, weights: [Value], inputs: [Value]) -> Value {
        var sum = bias
        for (weight, input) in zip(weights, inputs) { sum = sum + weight * input }
        return sum
    }

    /// A random number over several magnitudes (so that roundings differ between orders).
    static func number(_ random: inout RandomSource) -> Double {
        random.nextUniform(-1, 1) * [1e-3, 0.1, 1, 7, 1e3][Int(random.next() % 5)]
    }

    @Test("value and every gradient equal the binary chain's bit for bit: 500 seeded cases with reused operands")
    func bitIdenticalToChain() throws {
        var random = RandomSource(seed: 20_240_611)
        for trial in 0..<500 {
            // A pool of leaves, built twice with the same data and the same starting grads (so
            // that the order in which contributions accumulate matters); operands are drawn
            // from the pool with repetition, so a leaf can be a weight and an input at once.
            let poolSize = 1 + Int(random.next() % 6), terms = Int(random.next() % 9)
            let data = (0..<poolSize).map { _ in Self.number(&random) }
            let startGrads = (0..<poolSize).map { _ in Self.number(&random) }
            let picks = (0..<(1 + 2 * terms)).map { _ in Int(random.next() % UInt64(poolSize)) }
            let scale = Self.number(&random)

            func build(_ fused: Bool) throws -> (root: Value, node: Value, pool: [Value]) {
                let pool = zip(data, startGrads).map { value, grad in
                    let leaf = Value(value)
                    leaf.grad = grad
                    return leaf
                }
                let bias = pool[picks[0]]
                let weights = (0..<terms).map { pool[picks[1 + 2 * $0]] }
                let inputs = (0..<terms).map { pool[picks[2 + 2 * $0]] }
                let node = fused
                    ? try Value.weightedSum(bias: bias, weights: weights, inputs: inputs)
                    : Self.chain(bias: bias, weights: weights, inputs: inputs)
                return ((node * scale).tanh(), node, pool)
            }
            let fused = try build(true), reference = try build(false)
            #expect(fused.node.data.bitPattern == reference.node.data.bitPattern, "trial \(trial): value")
            fused.root.backward()
            reference.root.backward()
            for index in 0..<poolSize {
                let got = fused.pool[index].grad, want = reference.pool[index].grad
                #expect(got.bitPattern == want.bitPattern, "trial \(trial), leaf \(index): \(got) vs \(want)")
            }
            if terms > 0 {   // (with no terms the chain is the bias leaf itself, no node)
                #expect(fused.node.grad.bitPattern == reference.node.grad.bitPattern, "trial \(trial): node grad")
            }
            // The op's n-ary tables agree with the node.
            let operands = fused.node.children.map(\.data)
            #expect(fused.node.op.evaluate(operands: operands).bitPattern == fused.node.data.bitPattern)
        }
    }

    @Test("children, topological order and gradients with a reused operand: b + x·x + x·y")
    func reusedOperand() throws {
        let b = Value(0.5), x = Value(3), y = Value(-2)
        let s = try Value.weightedSum(bias: b, weights: [x, x], inputs: [x, y])
        #expect(s.op == .weightedSum && s.op.arity == nil)
        #expect(s.children.map(ObjectIdentifier.init) == [b, x, x, x, y].map(ObjectIdentifier.init))
        #expect(s.topologicalOrder().map(ObjectIdentifier.init) == [b, x, y, s].map(ObjectIdentifier.init))
        #expect(s.data == 0.5 + 9 - 6)
        s.backward()
        // d/db = 1, d/dx = 2x + y = 4, d/dy = x = 3 (small integers: exact).
        #expect(b.grad == 1 && x.grad == 4 && y.grad == 3)
        #expect(s.op.partials(operands: s.children.map(\.data), out: s.data) == [1, 3, 3, -2, 3])
        s.zeroGrad()
        #expect(b.grad == 0 && x.grad == 0 && y.grad == 0 && s.grad == 0)
    }

    @Test("a weighted sum with no terms is its bias; mismatched lengths throw")
    func edgeCases() throws {
        let b = Value(1.25)
        let s = try Value.weightedSum(bias: b, weights: [], inputs: [])
        #expect(s.data == 1.25 && s.children.count == 1)
        s.backward()
        #expect(b.grad == 1)
        #expect(throws: MicrogradError.lengthMismatch(what: "inputs", expected: 2, given: 1)) {
            try Value.weightedSum(bias: b, weights: [Value(1), Value(2)], inputs: [Value(3)])
        }
    }

    @Test("a neuron is one Σwx+b node and its activation; DOT shows one op node with 5 incoming edges")
    func neuronPicture() throws {
        let neuron = Neuron(inputs: 2, activation: .tanh, seed: 4)
        let out = try neuron([0.5, -1.5])
        #expect(out.op == .tanh && out.children[0].op == .weightedSum)
        #expect(out.topologicalOrder().count == 7)   // b, w0, x0, w1, x1, Σ, tanh
        let dot = out.dot()
        let counts = DOTTests.counts(dot)
        #expect(counts == DOTTests.Counts(records: 7, ops: 2, edges: 8))
        #expect(dot.contains("n5_op [label=\"Σwx+b\"];"))
        for operand in 0..<5 { #expect(dot.contains("  n\(operand) -> n5_op;\n")) }
    }

    @Test("a chain of 1,000,000 weighted sums (deep through the bias and through the inputs) is walked and freed")
    func deepChain() throws {
        weak var weakBottom: Value?
        do {
            let w = Value(0.5), c = Value(0.25)
            let bottom = Value(1)
            weakBottom = bottom
            var v = bottom
            for index in 0..<1_000_000 {
                v = index % 2 == 0
                    ? Value.uncheckedWeightedSum(bias: v, weights: [w], inputs: [c])
                    : Value.uncheckedWeightedSum(bias: c, weights: [w], inputs: [v])
            }
            v.backward()
            // v = ... each step keeps or halves the dependence on the bottom: 0.5^500000 -> 0.
            #expect(w.grad.isFinite && bottom.grad == 0)
        }
        #expect(weakBottom == nil)
    }
}
