import JIT
import Micrograd

extension BenchWorkload {
    /// W4 compiled: a batch of 4096 samples through `jit(mlp)`'s batched call, both models,
    /// into a caller's buffer (no allocation in the timed region), on 1 thread and on 2 (or on
    /// `--threads`), in exact numerics (the reference rows) and then in fast numerics.
    static let w4Batched = BenchWorkload(
        key: "w4-jit",
        summary: "batch of 4096 through MLP(2,[16,16,1]) and MLP(784,[128,64,10]), compiled, exact and fast, "
            + "1 and 2 threads (or --threads)",
        defaultRepeats: 21
    ) { context in
        let rows = 4096
        let threadCounts = context.threads.map { [$0] } ?? [1, 2]
        for (inputs, layers) in [(2, [16, 16, 1]), (784, [128, 64, 10])] {
            let model = MLP(inputs: inputs, layers: layers, seed: 1)
            var random = RandomSource(seed: 42)
            let batch = benchOpaque((0..<rows * inputs).map { _ in random.nextUniform(-1, 1) })
            var outputs = [Double](repeating: 0, count: rows * model.outputCount)
            let name = "MLP(\(inputs),[\(layers.map(String.init).joined(separator: ","))])"
            let flops = 2.0 * Double(multiplyAdds(inputs: inputs, layers: layers) * rows)
            for numerics in [JITOptions.Numerics.exact, .fast] {
                let compiled = try jit(model, options: context.jitOptions(numerics))
                try compiled.prepareBatch()
                try checkW4(model, compiled: compiled, batch: batch, rows: rows, numerics: numerics)
                // The exact rows keep the labels of earlier runs (scripts/bench_merge.py matches them).
                let label = numerics == .exact ? "compiled" : "compiled (fast numerics)"
                for threads in threadCounts {
                    let body: (Int) throws -> Double = { n in
                        try batch.withUnsafeBufferPointer { x in
                            try outputs.withUnsafeMutableBufferPointer { y in
                                for _ in 0..<n { try compiled(batch: x, rows: rows, into: y, threads: threads) }
                                return y[0]
                            }
                        }
                    }
                    let (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), body)
                    let variant = "\(label) batch \(rows) x \(name), \(threads) thread\(threads == 1 ? "" : "s")"
                    context.record("W4", variant, stats, inner: inner, extra: ["gflops_median": flops / stats.median])
                }
            }
        }
    }
}

/// Multiply-adds per sample of an MLP (bias adds and activations not counted, as the peers).
private func multiplyAdds(inputs: Int, layers: [Int]) -> Int {
    var width = inputs, total = 0
    for size in layers {
        total += width * size
        width = size
    }
    return total
}

/// Checks a few rows of the batched result against the interpreter before timing: within 1e-12
/// relative in exact numerics (which promises the interpreter's results bit for bit on every
/// target), within 1e-9 relative in fast numerics (fused multiply-adds and split sums: a few
/// ulps per sum, far below this).
private func checkW4(
    _ model: MLP, compiled: CompiledModel, batch: [Double], rows: Int, numerics: JITOptions.Numerics
) throws {
    let tolerance = numerics == .exact ? 1e-12 : 1e-9
    let outputs = try compiled(batch: batch, rows: rows)
    let n = model.inputCount, m = model.outputCount
    for row in [0, rows / 2, rows - 1] {
        let expected = try model(Array(batch[row * n ..< (row + 1) * n])).map(\.data)
        for (index, value) in expected.enumerated() {
            let got = outputs[row * m + index]
            guard abs(got - value) <= tolerance * max(1, abs(value)) else {
                throw MicrogradError.invalidArgument(
                    "W4 check (\(numerics.rawValue) numerics) failed at row \(row): \(got) vs interpreter \(value)")
            }
        }
    }
}
