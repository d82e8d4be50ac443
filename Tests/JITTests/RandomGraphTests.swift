import JIT
import Micrograd
import PropertyBased
import Testing
import TestSupport

/// Random graphs of every op of the catalogue, with reused nodes, compiled vs interpreted.
/// At the graph's own leaf values: bit for bit in Float64 (exact mode), 1e-5 relative in
/// Float32. At other input values (where a drawn operand may leave an op's smooth domain):
/// 1e-12 relative in Float64 with NaN equal to NaN (see `isClose`).
@Suite("Random graphs")
struct RandomGraphTests {
    static func check(seed: UInt64, precision: JITOptions.Precision) throws {
        let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 3, nodes: 30)
        let compiled = try jit([output], inputs: leaves, options: JITOptions(precision: precision))
        let own = try compiled(leaves.map(\.data))[0]
        if precision == .float64 {
            #expect(sameResult(own, output.data), "seed \(seed): \(own) vs \(output.data)")
        } else {
            #expect(isClose(own, output.data, relative: tolerance(for: precision)), "seed \(seed)")
        }
        guard precision == .float64 else { return }
        var random = RandomSource(seed: seed)
        for _ in 0..<2 {
            let x = leaves.map { $0.data + random.nextUniform(-0.25, 0.25) }
            for (leaf, value) in zip(leaves, x) { leaf.data = value }
            let expected = evaluate([output])[0]
            let got = try compiled(x)[0]
            #expect(sameResult(got, expected) || isClose(got, expected), "seed \(seed) at \(x): \(got) vs \(expected)")
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

    @Test("seeds where LLVM's pow simplifications were an ulp off the interpreter (regressions)")
    func powSimplificationRegressions() throws {
        for seed: UInt64 in [11_401_132_305_909_399_918, 6_225_579_857_039_228_903] {
            try Self.check(seed: seed, precision: .float64)
        }
    }

    @Test("fixed seeds 1...200, Float64")
    func fixedSeeds() throws {
        for seed in UInt64(1)...200 {
            try Self.check(seed: seed, precision: .float64)
        }
    }
}
