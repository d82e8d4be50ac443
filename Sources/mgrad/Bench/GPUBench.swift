import Foundation
import JIT
import Micrograd

/// `mgrad bench --device cuda[:N] [--rows N]`: the GPU figures of issue 12 - batched inference
/// (the kernel with its inputs resident on the device, and a whole call with the transfers) and
/// the training step, each the median of repeated samples. Without a driver or a device the
/// first compilation throws `JITError.deviceUnavailable`, which ends the command with its reason.
///
/// The default row counts are the done-when list's: MLP(2,[16,16,1]) at 4,096 and 1,048,576
/// rows, MLP(784,[128,64,10]) at 65,536 in Float64 and Float32, the MLP(2,[16,16,1]) training
/// step (squared error, SGD) at 1,048,576 rows. `--rows` replaces every row count.
struct GPUBench {
    let device: Device
    let rows: Int?
    let repeats: Int?

    private struct Inference {
        let inputs: Int, layers: [Int], precision: JITOptions.Precision, rows: Int
    }

    func run(_ context: BenchContext) throws {
        let inference = [
            Inference(inputs: 2, layers: [16, 16, 1], precision: .float64, rows: rows ?? 4096),
            Inference(inputs: 2, layers: [16, 16, 1], precision: .float64, rows: rows ?? 1_048_576),
            Inference(inputs: 784, layers: [128, 64, 10], precision: .float64, rows: rows ?? 65536),
            Inference(inputs: 784, layers: [128, 64, 10], precision: .float32, rows: rows ?? 65536),
        ]
        var seen = Set<String>()
        for item in inference {
            let name = "MLP(\(item.inputs),[\(item.layers.map(String.init).joined(separator: ","))]) \(item.precision), "
                + "\(item.rows) rows"
            guard seen.insert(name).inserted else { continue }
            try time(item, name: name, context)
        }
        try timeTraining(rows: rows ?? 1_048_576, context)
    }

    private func time(_ item: Inference, name: String, _ context: BenchContext) throws {
        let model = MLP(inputs: item.inputs, layers: item.layers, seed: 1337)
        let t0 = BenchClock.nowNs()
        let gpu = try jit(model, on: device, options: JITOptions(precision: item.precision))
        let compile = Double(BenchClock.nowNs() - t0)
        var random = RandomSource(seed: 7)
        let x = (0..<item.rows * item.inputs).map { _ in random.nextUniform(-1, 1) }
        var out = [Double](repeating: 0, count: item.rows * (item.layers.last ?? 0))
        try x.withUnsafeBufferPointer { try gpu.load(batch: $0, rows: item.rows) }
        let count = repeats ?? 21
        let kernel = try context.timer.perCall({ _ in try gpu.runResident(); return 0 }, inner: 1, repeats: count,
                                               warmup: 2)
        let whole = try context.timer.perCall({ _ in
            try x.withUnsafeBufferPointer { input in
                try out.withUnsafeMutableBufferPointer { try gpu(batch: input, rows: item.rows, into: $0) }
            }
            return out.first ?? 0
        }, inner: 1, repeats: Swift.max(3, count / 3), warmup: 2)
        context.record("GPU", "\(gpu.deviceName): \(name), kernel (inputs resident)", kernel, inner: 1,
                       extra: ["compile_ns": compile])
        context.record("GPU", "\(gpu.deviceName): \(name), whole call (transfers included)", whole, inner: 1)
    }

    private func timeTraining(rows: Int, _ context: BenchContext) throws {
        var random = RandomSource(seed: 11)
        let inputs = (0..<rows).map { _ in [random.nextUniform(-1, 1), random.nextUniform(-1, 1)] }
        let targets = inputs.map { $0[0] * $0[1] > 0 ? 1.0 : -1.0 }
        let batch = try TrainingBatch(rows: inputs, targets: targets)
        let trainer = Trainer(model: MLP(inputs: 2, layers: [16, 16, 1], seed: 1337),
                              objective: .meanSquaredError(threshold: 0), optimizer: SGD(learningRate: 0.05))
        let t0 = BenchClock.nowNs()
        let gpu = try jit(trainer, on: device)
        let compile = Double(BenchClock.nowNs() - t0)
        let steps = try context.timer.perCall({ _ in try gpu.step(batch).loss }, inner: 1, repeats: repeats ?? 21,
                                              warmup: 2)
        try gpu.syncToHost()
        context.record("GPU", "\(gpu.deviceName): MLP(2,[16,16,1]) training step (MSE, SGD), \(rows) rows",
                       steps, inner: 1, extra: ["compile_ns": compile])
    }
}
