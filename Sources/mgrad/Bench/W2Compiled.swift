import JIT
import Micrograd

extension BenchWorkload {
    /// W2 compiled: the 100 moons steps as `CompiledTrainer` steps (one native call each), exact
    /// numerics and then fast, for `--cpu`, with `CompiledTrainer.threads` from `--threads`.
    static let w2Compiled = BenchWorkload(
        key: "w2-jit", summary: "100 SGD steps on two moons, MLP(2,[16,16,1]), compiled (CompiledTrainer)",
        defaultRepeats: 21
    ) { context in
        let fixture = try context.fixture()
        let model = try fixtureModel(fixture)
        let optimizer = SGD(schedule: .linearDecay(initial: 1.0, decay: 0.9, steps: MoonsTraining.steps))
        var compileTimes: [Double] = []
        var trainer: CompiledTrainer?
        for _ in 0..<5 {
            let t0 = BenchClock.nowNs()
            trainer = try CompiledTrainer(model: model, objective: .hinge, regularization: MoonsTraining.alpha,
                                          optimizer: optimizer, options: context.jitOptions())
            compileTimes.append(Double(BenchClock.nowNs() - t0))
        }
        guard let trainer else { return }
        let batch = try TrainingBatch(rows: fixture.inputs, targets: fixture.labels)
        let exact = try runMoonsSteps(trainer, model: model, fixture: fixture, batch: batch, context: context,
                                      tolerance: 1e-12)
        let compile = BenchStats(compileTimes)
        context.record("W2", "compiled 100 steps (total, excluding compilation)", exact.stats,
                       inner: MoonsTraining.steps, extra: [
            "per_step_ns_median": exact.stats.median / Double(MoonsTraining.steps),
            "compile_ns_median": compile.median, "compile_ns_min": compile.min, "compile_ns_max": compile.max,
            "max_abs_loss_diff_vs_fixture_log": exact.maxLogDifference,
        ])
        context.record("W2", "compiled: compile the training step (CompiledTrainer.init)", compile, inner: 1)

        // Fast numerics (FMA in the kernels): the same steps, each loss within rounding of the log's.
        let fastTrainer = try CompiledTrainer(
            model: model, objective: .hinge, regularization: MoonsTraining.alpha, optimizer: optimizer,
            options: context.jitOptions(.fast))
        let fast = try runMoonsSteps(fastTrainer, model: model, fixture: fixture, batch: batch, context: context,
                                     tolerance: 1e-9)
        context.record("W2", "compiled (fast numerics) 100 steps (total, excluding compilation)", fast.stats,
                       inner: MoonsTraining.steps, extra: [
            "per_step_ns_median": fast.stats.median / Double(MoonsTraining.steps),
            "max_abs_loss_diff_vs_fixture_log": fast.maxLogDifference,
        ])

        // W5-style: compile latency of an MNIST-sized training step, and one step on synthetic data.
        let mnist = MLP(inputs: 784, layers: [50, 10], seed: 1)
        var mnistCompile: [Double] = []
        var mnistTrainer: CompiledTrainer?
        for _ in 0..<3 {
            let t0 = BenchClock.nowNs()
            mnistTrainer = try CompiledTrainer(model: mnist, objective: .hinge, regularization: 1e-4,
                                               optimizer: SGD(learningRate: 0.01), options: context.jitOptions())
            mnistCompile.append(Double(BenchClock.nowNs() - t0))
        }
        mnistTrainer?.threads = context.threads
        var random = RandomSource(seed: 42)
        let rows = (0..<256).map { _ in (0..<784).map { _ in random.nextUniform(0, 1) } }
        let targets = (0..<256).map { i in (0..<10).map { $0 == i % 10 ? 1.0 : -1.0 } }
        let mnistBatch = try TrainingBatch(rows: rows, targetRows: targets)
        var stepTimes: [Double] = []
        for _ in 0..<5 {
            let t0 = BenchClock.nowNs()
            context.timer.record(checksum: try mnistTrainer?.step(mnistBatch).loss ?? 0)
            stepTimes.append(Double(BenchClock.nowNs() - t0))
        }
        context.record("W5", "compiled: compile the MLP(784,[50,10]) training step", BenchStats(mnistCompile), inner: 1)
        context.record("W5", "compiled: one MLP(784,[50,10]) step, 256 synthetic rows", BenchStats(stepTimes), inner: 1)
    }

    /// `MoonsTraining.steps` steps of `trainer` from the fixture's initial weights, one untimed
    /// warm-up run then `repeats` timed runs; each run's first loss must be within `tolerance` of
    /// the logged one. Returns the runs' times and the largest loss difference from the log.
    private static func runMoonsSteps(
        _ trainer: CompiledTrainer, model: MLP, fixture: MoonsFixture, batch: TrainingBatch, context: BenchContext,
        tolerance: Double
    ) throws -> (stats: BenchStats, maxLogDifference: Double) {
        trainer.threads = context.threads
        var totals: [Double] = []
        var maxLogDiff = 0.0
        for run in 0...context.repeats(default: 21) {
            try model.loadParameters(fixture.initialParameters)
            trainer.stepCount = 0
            var losses: [Double] = []
            losses.reserveCapacity(MoonsTraining.steps)
            let t0 = BenchClock.nowNs()
            for _ in 0..<MoonsTraining.steps {
                losses.append(try trainer.step(batch).loss)
            }
            let total = Double(BenchClock.nowNs() - t0)
            if run > 0 { totals.append(total) }
            for (loss, logged) in zip(losses, fixture.log.map(\.loss)) { maxLogDiff = max(maxLogDiff, abs(loss - logged)) }
            guard abs(losses[0] - fixture.log[0].loss) <= tolerance else {
                throw MicrogradError.invalidArgument("W2 compiled check failed: step-0 loss \(losses[0]) vs logged \(fixture.log[0].loss)")
            }
            context.timer.record(checksum: losses[losses.count - 1])
        }
        return (BenchStats(totals), maxLogDiff)
    }
}
