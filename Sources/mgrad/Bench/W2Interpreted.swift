import Micrograd

/// W2's method: the demo notebook's training loop on `Value`s, step by step.
struct MoonsTraining {
    static let steps = 100
    static let alpha = 1e-4

    let model: MLP
    let fixture: MoonsFixture

    /// One full-batch SGD step (forward, zeroGrad, backward, update); returns the loss before
    /// the update, as the notebook logs it.
    func step(_ k: Int) throws -> Double {
        let parameters = model.parameters
        var losses: [Value] = []
        losses.reserveCapacity(fixture.inputs.count)
        for (point, label) in zip(fixture.inputs, fixture.labels) {
            let score = try model(point.map { Value($0) })[0]
            losses.append((1 + -label * score).relu())
        }
        let dataLoss = losses.sum() * (1.0 / Double(losses.count))
        let regLoss = MoonsTraining.alpha * parameters.map { $0 * $0 }.sum()
        let total = dataLoss + regLoss
        model.zeroGrad()
        total.backward()
        let learningRate = 1.0 - 0.9 * Double(k) / 100
        for parameter in parameters {
            parameter.data -= learningRate * parameter.grad
        }
        return total.data
    }
}

extension BenchWorkload {
    /// W2: 100 full-batch SGD steps on two moons, MLP(2,[16,16,1]), hinge loss + L2 (interpreter).
    static let w2Interpreted = BenchWorkload(
        key: "w2", summary: "100 SGD steps on two moons, MLP(2,[16,16,1]), interpreter", defaultRepeats: 5
    ) { context in
        let fixture = try context.fixture()
        let model = try fixtureModel(fixture)
        let training = MoonsTraining(model: model, fixture: fixture)
        var totals: [Double] = [], stepTimes: [Double] = []
        var maxLogDiff = 0.0
        // One untimed warm-up run, then `repeats` runs, each from the initial weights.
        for run in 0...context.repeats(default: 5) {
            try model.loadParameters(fixture.initialParameters)
            var total = 0.0
            for k in 0..<MoonsTraining.steps {
                let t0 = BenchClock.nowNs()
                let loss = try training.step(k)
                let dt = Double(BenchClock.nowNs() - t0)
                total += dt
                if run > 0 { stepTimes.append(dt) }
                if k < fixture.log.count { maxLogDiff = max(maxLogDiff, abs(loss - fixture.log[k].loss)) }
                if k == 0, abs(loss - fixture.log[0].loss) > 1e-12 {
                    throw MicrogradError.invalidArgument("W2 check failed: step-0 loss \(loss) vs logged \(fixture.log[0].loss)")
                }
            }
            if run > 0 { totals.append(total) }
            context.timer.record(checksum: total)
        }
        let perStep = BenchStats(stepTimes)
        context.record("W2", "interpreted 100 steps (total)", BenchStats(totals), inner: MoonsTraining.steps, extra: [
            "per_step_ns_median": perStep.median, "per_step_ns_min": perStep.min, "per_step_ns_max": perStep.max,
            "max_abs_loss_diff_vs_fixture_log": maxLogDiff,
        ])
    }
}
