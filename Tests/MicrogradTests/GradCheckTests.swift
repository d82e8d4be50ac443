import Foundation
import Micrograd
import TestSupport
import Testing

/// Gradients from `backward()` against finite differences (see `GradCheck` for the method).
@Suite("Gradient checks: backward() against finite differences")
struct GradCheckTests {
    /// Relative tolerance of every comparison: |analytic - numeric| / max(1, |analytic|, |numeric|).
    static let tolerance = 1e-6

    @Test("400 seeded random graphs of every op, with reused nodes, 24 nodes and 3 leaves each")
    func randomGraphs() {
        var kinds: Set<String> = []
        var graphsWithSharedNodes = 0
        for seed in UInt64(1)...400 {
            let (output, leaves) = RandomGraph.make(seed: seed, leaves: 3, nodes: 24, includeCustom: true)
            let order = output.topologicalOrder()
            kinds.formUnion(order.map(\.op.mnemonic))
            if hasSharedNode(order) { graphsWithSharedNodes += 1 }
            #expect(output.data.isFinite, "seed \(seed)")
            let bad = GradCheck.mismatches(output, leaves: leaves, tolerance: Self.tolerance)
            #expect(bad.isEmpty, "seed \(seed): \(bad)")
        }
        let expected = Set(OpCatalogue.all.map(\.mnemonic)).union(["leaf", "custom"])
        #expect(kinds == expected)
        #expect(graphsWithSharedNodes >= 350, "only \(graphsWithSharedNodes) of 400 graphs share a node")
    }

    @Test("the generator is deterministic: the same seed gives the same graph")
    func deterministic() {
        let first = RandomGraph.make(seed: 42)
        let second = RandomGraph.make(seed: 42)
        #expect(first.output.data == second.output.data)
        #expect(first.leaves.map(\.data) == second.leaves.map(\.data))
        #expect(first.output.topologicalOrder().map(\.op.mnemonic) == second.output.topologicalOrder().map(\.op.mnemonic))
        #expect(RandomGraph.make(seed: 43).output.data != first.output.data)
    }

    @Test("every op of the catalogue alone, at its smooth points", arguments: OpCatalogue.all)
    func everyOp(_ row: OpCase) {
        for point in row.smoothPoints {
            let leaves = point.map { Value($0) }
            let bad = GradCheck.mismatches(row.apply(leaves), leaves: leaves, tolerance: Self.tolerance)
            #expect(bad.isEmpty, "\(row.name) at \(point): \(bad)")
        }
    }

    @Test("GradCheck itself catches a wrong derivative")
    func checkerCatchesErrors() {
        let wrong = CustomOp(name: "badsquare", forward: { $0 * $0 }, derivative: { $0 })
        let x = Value(1.5)
        let bad = GradCheck.mismatches(x.apply(wrong), leaves: [x], tolerance: Self.tolerance)
        #expect(bad.count == 1)
        #expect(abs((bad.first?.numeric ?? 0) - 3) < 1e-9)
    }

    /// One op at a time: the analytic gradient, its closed form and finite differences agree.
    @Test("unary ops", arguments: [-1.7, -0.3, 0.4, 2.2])
    func unaryOps(x0: Double) {
        let cases: [(String, (Value) -> Value, (Double) -> Double)] = [
            ("neg", { -$0 }, { _ in -1 }),
            ("pow 3", { $0.pow(3) }, { 3 * $0 * $0 }),
            ("pow -2", { $0.pow(-2) }, { -2 * Foundation.pow($0, -3) }),
            ("relu", { $0.relu() }, { $0 > 0 ? 1 : 0 }),
            ("tanh", { $0.tanh() }, { 1 - Foundation.tanh($0) * Foundation.tanh($0) }),
            ("exp", { $0.exp() }, { Foundation.exp($0) }),
            ("sigmoid", { $0.sigmoid() }, { let s = 1 / (1 + Foundation.exp(-$0)); return s * (1 - s) }),
            ("log|x|", { ($0 * $0).log() }, { 2 / $0 }),
            ("sqrt(x²+1)", { ($0 * $0 + 1).pow(0.5) }, { $0 / Foundation.sqrt($0 * $0 + 1) }),
            ("sin (custom)", { $0.apply(RandomGraph.sine) }, { Foundation.cos($0) }),
        ]
        for (name, f, derivative) in cases {
            let x = Value(x0)
            let comparison = GradCheck.compare(f(x), leaves: [x])[0]
            #expect(comparison.relativeError <= Self.tolerance, "\(name) at \(x0): \(comparison)")
            #expect(abs(comparison.analytic - derivative(x0)) <= 1e-12 * max(1, abs(derivative(x0))), "\(name) at \(x0)")
        }
    }

    @Test("binary ops, including both operands being the same node", arguments: [(0.7, -1.3), (-2.0, 0.6), (1.1, 1.1)])
    func binaryOps(a0: Double, b0: Double) {
        let cases: [(String, (Value, Value) -> Value)] = [
            ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
            ("pow(Value)", { ($0 * $0 + 0.5).pow($1) }),
            ("x*x", { a, _ in a * a }), ("x-x+x", { a, _ in a - a + a }), ("x/x", { a, _ in a / a }),
            ("shared interior", { a, b in let s = a * b; return s * s + s.tanh() }),
        ]
        for (name, f) in cases {
            let a = Value(a0), b = Value(b0)
            let bad = GradCheck.mismatches(f(a, b), leaves: [a, b], tolerance: Self.tolerance)
            #expect(bad.isEmpty, "\(name) at (\(a0), \(b0)): \(bad)")
        }
    }

    /// True when some node is an operand of two nodes, or of one node twice.
    private func hasSharedNode(_ order: [Value]) -> Bool {
        var uses: [ObjectIdentifier: Int] = [:]
        for node in order {
            for child in node.children where !(child.isLeaf && child.label.isEmpty) {
                uses[ObjectIdentifier(child), default: 0] += 1
            }
        }
        return uses.values.contains { $0 > 1 }
    }
}
