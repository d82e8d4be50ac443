import JIT
import Micrograd
import PropertyBased
import Testing
import TestSupport

/// `jit(loss, inputs:parameters:)`: value and gradient compiled vs `backward()`.
/// Tolerances: 1e-12 relative (absolute below 1, see `isClose`) against the interpreter;
/// 1e-6 relative against finite differences (`GradCheck`, Richardson, h = 1e-4).
@Suite("Compiled gradients")
struct CompiledGradientTests {
    /// The interpreter's value and gradient of `loss` by each of `leaves`.
    static func interpreted(_ loss: Value, leaves: [Value]) -> (value: Double, gradient: [Double]) {
        loss.zeroGrad()
        loss.backward()
        return (loss.data, leaves.map(\.grad))
    }

    /// Compiles `loss` with the first `inputCount` leaves as inputs and the rest as parameters,
    /// and checks value and gradient against the interpreter at the leaves' current data.
    static func checkAgainstInterpreter(_ loss: Value, leaves: [Value], inputCount: Int, context: String) throws {
        let inputs = Array(leaves[..<inputCount]), parameters = Array(leaves[inputCount...])
        let compiled = try jit(loss, inputs: inputs, parameters: parameters)
        let result = try compiled.valueAndGradient(inputs: inputs.map(\.data), parameters: parameters.map(\.data))
        let expected = interpreted(loss, leaves: leaves)
        #expect(isClose(result.value, expected.value), "\(context): value \(result.value) vs \(expected.value)")
        let gradient = result.inputGradient + result.parameterGradient
        for (index, (got, want)) in zip(gradient, expected.gradient).enumerated() {
            #expect(isClose(got, want), "\(context): d/dleaf\(index) \(got) vs \(want)")
        }
    }

    @Test("every op of the catalogue, at edges and smooth points: value and gradient bit for bit",
          arguments: OpCatalogue.all)
    func everyOp(_ row: OpCase) throws {
        let placeholders = (0..<row.arity).map { _ in Value(0) }
        let compiled = try jit(row.apply(placeholders), inputs: placeholders, parameters: [])
        for point in row.edges + row.smoothPoints {
            let leaves = point.map { Value($0) }
            let loss = row.apply(leaves)
            loss.backward()
            let result = try compiled.valueAndGradient(inputs: point, parameters: [])
            #expect(sameResult(result.value, loss.data), "\(row.name)\(point): value")
            for (index, leaf) in leaves.enumerated() {
                #expect(sameResult(result.inputGradient[index], leaf.grad),
                        "\(row.name)\(point): d/dx\(index) \(result.inputGradient[index]) vs \(leaf.grad)")
            }
        }
    }

    @Test("reused nodes: x·x, x + x, a shared interior node")
    func reusedNodes() throws {
        let x = Value(1.25), y = Value(-0.5)
        let shared = (x * y).tanh()
        let loss = x * x + (x + x) * shared + shared * shared - shared.exp()
        try Self.checkAgainstInterpreter(loss, leaves: [x, y], inputCount: 0, context: "shared")
        let compiled = try jit(loss, inputs: [], parameters: [x, y])
        // Shared nodes are one slot each: the program has as many slots as the graph has nodes.
        #expect(compiled.program.slots.count == loss.topologicalOrder().count)
    }

    @Test("pow by a Value at a zero base: the exponent's derivative is 0, as in the interpreter")
    func powerValueAtZero() throws {
        let base = Value(0), exponent = Value(2)
        let loss = base.pow(exponent)
        let result = try jit(loss, inputs: [base], parameters: [exponent]).valueAndGradient()
        #expect(result.value == 0)
        #expect(result.parameterGradient == [0])
        #expect(result.inputGradient == [0])
    }

    @Test("unlisted leaves are constants; unused inputs have derivative 0")
    func constantsAndUnusedInputs() throws {
        let x = Value(3), c = Value(2), unused = Value(7)
        let compiled = try jit(x * c, inputs: [x, unused], parameters: [])
        let result = try compiled.valueAndGradient(inputs: [5, 1], parameters: [])
        #expect(result.value == 10)
        #expect(result.inputGradient == [2, 0])
        #expect(result.parameterGradient.isEmpty)
    }

    @Test("property: random graphs of every op with reused nodes, compiled == interpreted")
    func propertyRandomGraphs() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let (loss, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 30)
            try Self.checkAgainstInterpreter(loss, leaves: leaves, inputCount: 2, context: "seed \(seed)")
        }
    }

    @Test("fixed seeds: compiled gradients agree with central finite differences")
    func finiteDifferences() throws {
        for seed in UInt64(1)...40 {
            let (loss, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 3, nodes: 24)
            let compiled = try jit(loss, inputs: [], parameters: leaves)
            let gradient = compiled.valueAndGradient().parameterGradient
            let numeric = GradCheck.numericGradients(of: loss, leaves: leaves)
            for (index, (got, estimate)) in zip(gradient, numeric).enumerated() {
                let error = abs(got - estimate) / max(1, abs(got), abs(estimate))
                #expect(error <= 1e-6, "seed \(seed) leaf \(index): \(got) vs finite difference \(estimate)")
            }
        }
    }

    @Test("bad graphs and bad calls are thrown errors")
    func errors() throws {
        let x = Value(1), w = Value(2)
        let loss = x * w
        #expect(throws: JITError.invalidGraph("input 1 is listed twice")) {
            try jit(loss, inputs: [x], parameters: [x])
        }
        #expect(throws: JITError.self) { try jit(loss, inputs: [x * w], parameters: []) }
        #expect(throws: JITError.unsupportedOperation("sin")) {
            try jit(x.apply(TestSupport.RandomGraph.sine), inputs: [x], parameters: [])
        }
        let compiled = try jit(loss, inputs: [x], parameters: [w])
        #expect(throws: JITError.inputCountMismatch(expected: 1, given: 2)) {
            try compiled.valueAndGradient(inputs: [1, 2], parameters: [3])
        }
        #expect(throws: JITError.inputCountMismatch(expected: 1, given: 0)) {
            try compiled.valueAndGradient(inputs: [1], parameters: [])
        }
    }

    @Test("the IR holds the reverse sweep in the same function as the forward pass")
    func irShape() throws {
        let x = Value(0.5), w = Value(-1)
        let compiled = try jit((x * w).tanh(), inputs: [x], parameters: [w])
        let ir = try compiled.ir(optimized: false)
        #expect(ir.contains("define void @value_and_gradient("))
        #expect(ir.contains("%dtanh"))
        #expect(ir.contains("%dmul"))
        #expect(!ir.contains("define void @graph("))
    }
}
