import JIT
import Micrograd

extension BenchWorkload {
    /// W6 (../shared/peers/w6_multiclass_train.py): (a) digits, MLP(64,[32,10]) ReLU, softmax
    /// cross-entropy, Adam (lr 0.01), minibatches of 32 taken in order from the 1,437 training
    /// rows (45 steps an epoch), 10 epochs; time per epoch (steady state: the median over the
    /// epochs after the first) and test accuracy, compiled and interpreted. (b) one
    /// MLP(784,[128,64,10]) softmax cross-entropy + SGD (lr 0.1) step on 256 synthetic rows, in
    /// exact numerics (the reference row) and in fast numerics. Compiled trainers use
    /// `--threads` (`CompiledTrainer.threads`) and `--cpu`.
    static let w6Multiclass = BenchWorkload(
        key: "w6", summary: "digits MLP(64,[32,10]) softmax CE + Adam epochs; MNIST-size softmax CE step",
        defaultRepeats: 10
    ) { context in
        let digits = try Digits.bundled()
        let batchSize = 32
        let starts = Array(stride(from: 0, through: digits.train.count - batchSize, by: batchSize))
        let slices = starts.map { ($0 ..< $0 + batchSize) }
        let batches = try slices.map { range in
            try TrainingBatch(rows: Array(digits.train.rows[range]), targets: Array(digits.train.targets[range]))
        }
        let epochs = context.repeats(default: 10)

        for compiled in [true, false] {
            let model = MLP(inputs: 64, layers: [32, 10], seed: 1)
            let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.01))
            let native = compiled ? try jit(trainer, options: context.jitOptions()) : nil
            native?.threads = context.threads
            var times: [Double] = []
            for _ in 0..<(compiled ? epochs : min(epochs, 3)) {
                let t0 = BenchClock.nowNs()
                for (index, range) in slices.enumerated() {
                    if let native {
                        context.timer.record(checksum: try native.step(batches[index]).loss)
                    } else {
                        let rows = Array(digits.train.rows[range]), targets = Array(digits.train.targets[range])
                        context.timer.record(checksum: try trainer.fitBatch(rows: rows, targets: targets).loss)
                    }
                }
                times.append(Double(BenchClock.nowNs() - t0))
            }
            let outputs = try digits.test.rows.map { try model($0).map(\.data) }
            let accuracy = Objective.softmaxCrossEntropy.accuracy(outputs: outputs, targets: digits.test.targets)
            let steady = BenchStats(times.count > 1 ? Array(times.dropFirst()) : times)
            let label = compiled ? "compiled (jit(trainer))" : "interpreted (Trainer)"
            context.record("W6", "digits epoch, 45 Adam steps of 32, \(label)", steady, inner: 1, extra: [
                "test_accuracy": accuracy, "epochs": Double(times.count), "first_epoch_ns": times[0],
            ])
        }

        var random = RandomSource(seed: 7)
        let rows = (0..<256).map { _ in (0..<784).map { _ in random.nextUniform(0, 1) } }
        let labels = (0..<256).map { _ in Double(random.next() % 10) }
        let batch = try TrainingBatch(rows: rows, targets: labels)
        var exactFirstLoss: Double?
        for numerics in [JITOptions.Numerics.exact, .fast] {
            // The same initial weights for both modes: the fast step's first loss is compared.
            let mnist = MLP(inputs: 784, layers: [128, 64, 10], seed: 2)
            let t0 = BenchClock.nowNs()
            let step = try CompiledTrainer(model: mnist, objective: .softmaxCrossEntropy,
                                           optimizer: SGD(learningRate: 0.1), options: context.jitOptions(numerics))
            let compile = Double(BenchClock.nowNs() - t0)
            step.threads = context.threads
            var stepTimes: [Double] = []
            var firstLoss: Double?
            for _ in 0..<max(5, epochs) {
                let start = BenchClock.nowNs()
                let loss = try step.step(batch).loss
                stepTimes.append(Double(BenchClock.nowNs() - start))
                if firstLoss == nil { firstLoss = loss }
                context.timer.record(checksum: loss)
            }
            var extra = ["compile_ns": compile]
            if let exact = exactFirstLoss, let fast = firstLoss {
                // Fast numerics reorders sums (a few ulps each): 1e-9 relative is far above that.
                let difference = abs(fast - exact)
                guard difference <= 1e-9 * max(1, abs(exact)) else {
                    throw MicrogradError.invalidArgument(
                        "W6b check failed: fast numerics' first loss \(fast) vs exact \(exact)")
                }
                extra["first_loss_abs_diff_vs_exact"] = difference
            }
            if numerics == .exact { exactFirstLoss = firstLoss }
            // The exact row keeps the label of earlier runs (scripts/bench_merge.py matches it).
            let label = numerics == .exact ? "compiled" : "compiled (fast numerics)"
            context.record("W6b", "\(label) MLP(784,[128,64,10]) softmax CE + SGD step, 256 rows",
                           BenchStats(stepTimes), inner: 1, extra: extra)
        }
    }
}
