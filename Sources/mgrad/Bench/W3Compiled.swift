import JIT
import Micrograd

extension BenchWorkload {
    /// W3 compiled: one sample through `jit(mlp)`, via `[Double]` and via the buffer fast path
    /// (exact numerics, for `--cpu`).
    static let w3Compiled = BenchWorkload(
        key: "w3-jit", summary: "one sample through MLP(2,[16,16,1]), compiled (jit(mlp))", defaultRepeats: 21
    ) { context in
        let model = try fixtureModel(try context.fixture())
        let compiled = try jit(model, options: context.jitOptions())  // exact: its output is checked to 1e-12
        let expected = referenceOutput(of: model, input: w3Input)
        let got = try compiled(w3Input)[0]
        guard abs(got - expected) < 1e-12 else {
            throw MicrogradError.invalidArgument("W3 compiled check failed: \(got) vs reference \(expected)")
        }
        let input = benchOpaque(w3Input)
        let arrays: (Int) throws -> Double = { n in
            var sum = 0.0
            for _ in 0..<n { sum += try compiled(input)[0] }
            return sum
        }
        var (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), arrays)
        context.record("W3", "compiled compiled([x0, x1]) -> [Double]", stats, inner: inner)

        let buffers = evaluateLoop(compiled, input: input)
        (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), buffers)
        context.record("W3", "compiled evaluate(_:into:) (no allocation)", stats, inner: inner)
    }
}

/// A timed body for `BenchTimer`: `n` calls of `compiled.evaluate(_:into:)` on `input`, with one
/// output buffer and no allocation per call; returns the sum of the first outputs (the checksum).
func evaluateLoop(_ compiled: CompiledModel, input: [Double]) -> (Int) throws -> Double {
    var output = [Double](repeating: 0, count: compiled.outputCount)
    return { n in
        var sum = 0.0
        try input.withUnsafeBufferPointer { x in
            try output.withUnsafeMutableBufferPointer { y in
                for _ in 0..<n {
                    try compiled.evaluate(x, into: y)
                    sum += y[0]
                }
            }
        }
        return sum
    }
}
