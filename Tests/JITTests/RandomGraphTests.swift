import JIT
import Micrograd
import PropertyBased
import Testing

/// Random graphs of every op, with reused nodes, compiled vs interpreted.
/// Tolerance: 1e-12 relative (absolute below 1) in Float64, 1e-5 in Float32.
@Suite("Random graphs")
struct RandomGraphTests {
    static func check(seed: UInt64, precision: JITOptions.Precision) throws {
        let graph = RandomOpGraph(seed: seed)
        let compiled = try jit(graph.outputs, inputs: graph.inputs, options: JITOptions(precision: precision))
        for sample in 0..<3 {
            let x = RandomOpGraph.inputValues(count: graph.inputs.count, seed: seed &+ UInt64(sample))
            let expected = graph.interpreted(at: x)
            let got = try compiled(x)
            for (g, e) in zip(got, expected) {
                #expect(isClose(g, e, relative: tolerance(for: precision)), "seed \(seed) at \(x): \(g) vs \(e)")
            }
        }
    }

    @Test("property: compiled == interpreted in Float64")
    func propertyFloat64() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            try Self.check(seed: seed, precision: .float64)
        }
    }

    @Test("property: compiled == interpreted in Float32")
    func propertyFloat32() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            try Self.check(seed: seed, precision: .float32)
        }
    }

    @Test("fixed seeds 1...200, Float64")
    func fixedSeeds() throws {
        for seed in UInt64(1)...200 {
            try Self.check(seed: seed, precision: .float64)
        }
    }
}
