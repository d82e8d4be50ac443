import JIT
import Micrograd

extension BenchWorkload {
    /// W5: time from an MLP to its first compiled output (`jit(mlp)` + one call), both models,
    /// for `--cpu`.
    static let w5CompileLatency = BenchWorkload(
        key: "w5-jit", summary: "compile latency: jit(mlp) + first call, MLP(2,[16,16,1]) and MLP(784,[128,64,10])",
        defaultRepeats: 7
    ) { context in
        let repeats = context.repeats(default: 7)
        for (inputs, layers) in [(2, [16, 16, 1]), (784, [128, 64, 10])] {
            let model = MLP(inputs: inputs, layers: layers, seed: 1)
            let input = [Double](repeating: 0.5, count: inputs)
            let name = "MLP(\(inputs),\(layers))"
            var samples: [Double] = []
            var first = 0.0
            for sample in 0...repeats {
                let t0 = BenchClock.nowNs()
                let compiled = try jit(model, options: context.jitOptions())
                let output = try compiled(input)
                let dt = Double(BenchClock.nowNs() - t0)
                context.timer.record(checksum: output[0])
                // The process's first compilation also initialises LLVM: kept apart.
                if sample == 0 { first = dt } else { samples.append(dt) }
            }
            context.record("W5", "compile \(name): jit(mlp) + first call", BenchStats(samples), inner: 1,
                           extra: ["first_in_process_ns": first])
        }
    }
}
