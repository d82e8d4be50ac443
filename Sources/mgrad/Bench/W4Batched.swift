import JIT
import Micrograd

extension BenchWorkload {
    /// W4 compiled: a batch of 4096 samples through `jit(mlp)`'s batched call, both models,
    /// on 1 thread and on 2, into a caller's buffer (no allocation in the timed region).
    static let w4Batched = BenchWorkload(
        key: "w4-jit",
        summary: "batch of 4096 through MLP(2,[16,16,1]) and MLP(784,[128,64,10]), compiled, 1 and 2 threads",
        defaultRepeats: 21
    ) { context in
        let rows = 4096
        for (inputs, layers) in [(2, [16, 16, 1]), (784, [128, 64, 10])] {
            let model = MLP(inputs: inputs, layers: layers, seed: 1)
            let compiled = try jit(model)
            try compiled.prepareBatch()
            var random = RandomSource(seed: 42)
            let batch = benchOpaque((0..<rows * inputs).map { _ in random.nextUniform(-1, 1) })
            var outputs = [Double](repeating: 0, count: rows * model.outputCount)
            try checkW4(model, compiled: compiled, batch: batch, rows: rows)
            let name = "MLP(\(inputs),[\(layers.map(String.init).joined(separator: ","))])"
            let flops = 2.0 * Double(multiplyAdds(inputs: inputs, layers: layers) * rows)
            for threads in [1, 2] {
                let body: (Int) throws -> Double = { n in
                    try batch.withUnsafeBufferPointer { x in
                        try outputs.withUnsafeMutableBufferPointer { y in
                            for _ in 0..<n { try compiled(batch: x, rows: rows, into: y, threads: threads) }
                            return y[0]
                        }
                    }
                }
                let (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), body)
                context.record("W4", "compiled batch \(rows) x \(name), \(threads) thread\(threads == 1 ? "" : "s")",
                               stats, inner: inner, extra: ["gflops_median": flops / stats.median])
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

/// Checks a few rows of the batched result against the interpreter (1e-12 relative) before timing.
private func checkW4(_ model: MLP, compiled: CompiledModel, batch: [Double], rows: Int) throws {
    let outputs = try compiled(batch: batch, rows: rows)
    let n = model.inputCount, m = model.outputCount
    for row in [0, rows / 2, rows - 1] {
        let expected = try model(Array(batch[row * n ..< (row + 1) * n])).map(\.data)
        for (index, value) in expected.enumerated() {
            let got = outputs[row * m + index]
            guard abs(got - value) <= 1e-12 * max(1, abs(value)) else {
                throw MicrogradError.invalidArgument("W4 check failed at row \(row): \(got) vs interpreter \(value)")
            }
        }
    }
}
