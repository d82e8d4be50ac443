import Foundation
import Micrograd

extension CompiledTrainer {
    /// The layout of `model`'s step for `options`' target: its vector width and register
    /// tiles, and whether fused multiply-adds are used (`.fast` on a processor with FMA).
    static func layout(_ model: MLP, objective: Objective, options: JITOptions) throws -> TrainingLayout {
        let softmax: Bool
        if case .softmaxCrossEntropy = objective { softmax = true } else { softmax = false }
        return TrainingLayout(try MLPShape(model), tiling: try TrainingTiling(options), softmax: softmax)
    }

    /// The number of threads a step of `rows` rows uses: 1 below 2^18 multiply-adds, else
    /// ``threads`` (every active core when nil).
    ///
    /// NOTE (performance): each split phase costs a hand-over to the worker pool (about a
    /// microsecond), and the gradient phase reads every row's activations and adjoints, half of
    /// which the other core wrote (its cache). Measured on a 2-core Xeon (AVX-512, KVM): the
    /// digits step (MLP(64,[32,10]), 32 rows, about 162,000 multiply-adds) took 20 us on one
    /// thread and 22 us at best on two; with the worker pool (2026-12-01) a digits epoch took
    /// 0.96 ms on one thread and 1.07-1.38 ms on two, 100 moons steps (100 rows) 674 us and
    /// 807-817 us; running a step's phases as one job of the pool (a done-count between phases)
    /// was slower still (1.36-1.47 ms), so small steps stay on one thread.
    func workers(rows: Int) -> Int {
        guard rows * layout.multiplyAddsPerRow >= 1 << 18 else { return 1 }
        return Swift.max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs the compiled phases on `batch` (already checked) and returns the loss; the
    /// parameters and state are updated only when it is finite.
    func run(_ batch: TrainingBatch, rate: Double, inverseCount: Double) -> Double {
        batch.flatRows.withUnsafeBufferPointer { rows in
            batch.targets.withUnsafeBufferPointer { targets in
                let call = TrainingStepCall(
                    phases: phases, parameters: model.storage.baseAddress, gradients: workspace.gradients,
                    mask: workspace.mask, transposed: workspace.transposed, work: workspace.work,
                    rows: rows.baseAddress, targets: targets.baseAddress, count: batch.count,
                    rate: rate, alpha: regularization, inverseCount: inverseCount, result: workspace.result,
                    state0: workspace.state[0], state1: workspace.state[1], state2: workspace.state[2],
                    common: workspace.common)
                return call.run(layout: layout, workers: workers(rows: batch.count))
            }
        }
    }
}
