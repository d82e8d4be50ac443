import Foundation
import JIT
import Micrograd

/// The training checks and timings of `mgrad gpu-check`: the GPU step against the interpreter on
/// the two-moons fixture (losses and parameters bit for bit), the parameters' syncs, and an
/// MNIST-size MLP(784,[128,64,10]) step on 256 rows against the CPU compiled trainer, timed.
struct GPUTrainingChecks {
    let device: Device
    let quick: Bool

    func run(into report: inout GPUCheckReport) {
        moons(into: &report)
        syncs(into: &report)
        digitsSize(objective: .hinge, into: &report)
        digitsSize(objective: .softmaxCrossEntropy, into: &report)
    }

    /// 100 steps on the device against 100 interpreted ones, step by step.
    private func moons(into report: inout GPUCheckReport) {
        report.attempt("training moons 100 steps") { report in
            let fixture = try MoonsFixture.bundled()
            let steps = fixture.log.count
            let interpreted = try fixture.makeModel(), model = try fixture.makeModel()
            let expected = try Trainer.karpathyMoons(model: interpreted, steps: steps)
                .fit(fixture.dataset, steps: steps)
            let started = ContinuousClock.now
            let trainer = try jit(Trainer.karpathyMoons(model: model, steps: steps), on: device)
            let compiled = ContinuousClock.now - started
            let reports = try trainer.fit(fixture.dataset, steps: steps)
            let differing = zip(reports, expected).filter { $0.loss.bitPattern != $1.loss.bitPattern }.count
            report.check("training moons: \(steps) losses equal the interpreter's bit for bit", differing == 0,
                         "\(differing) differ; last \(reports.last?.loss ?? .nan) vs \(expected.last?.loss ?? .nan)")
            report.check("training moons: accuracies equal the interpreter's",
                         reports.map(\.accuracy) == expected.map(\.accuracy))
            let parameters = GPUCheckSuite.differing(model.storage.values, interpreted.storage.values)
            report.check("training moons: final parameters equal the interpreter's bit for bit", parameters == 0,
                         "\(parameters) of \(model.storage.count) differ")
            let perStep = reports.dropFirst(2).map { Self.microseconds($0.duration) }.sorted()
            let median = perStep.isEmpty ? 0 : perStep[perStep.count / 2]
            report.info(String(format: "TIME training moons on %@: compile %.1f ms, step median %.1f us "
                                   + "(100 rows, 337 parameters)", trainer.deviceName, Self.microseconds(compiled) / 1000, median))
        }
    }

    /// A step leaves the model stale until `syncToHost`; host changes reach the device with `syncToDevice`.
    private func syncs(into report: inout GPUCheckReport) {
        report.attempt("training syncs") { report in
            let fixture = try MoonsFixture.bundled()
            let model = try fixture.makeModel(), reference = try fixture.makeModel()
            let trainer = try jit(Trainer.karpathyMoons(model: model), on: device)
            let cpu = try jit(Trainer.karpathyMoons(model: reference))
            let batch = TrainingBatch(fixture.dataset)
            let initial = model.storage.values
            try trainer.step(batch)
            try cpu.step(batch)
            if device != .cpu {
                report.check("training: the model is stale before syncToHost", model.storage.values == initial)
            }
            try trainer.syncToHost()
            report.check("training: syncToHost brings the stepped parameters",
                         GPUCheckSuite.differing(model.storage.values, reference.storage.values) == 0)
            for index in 0..<model.storage.count {
                model.storage.baseAddress[index] *= 0.5
                reference.storage.baseAddress[index] *= 0.5
            }
            try trainer.syncToDevice()
            let got = try trainer.step(batch), want = try cpu.step(batch)
            report.check("training: syncToDevice, then a step from the host's parameters",
                         got.loss.bitPattern == want.loss.bitPattern, "\(got.loss) vs \(want.loss)")
        }
    }

    /// MLP(784,[128,64,10]) on 256 seeded rows: a few steps against the CPU compiled trainer
    /// (bit for bit for hinge; within 1e-10 for softmax, whose exp and log are the built-in
    /// routines on the GPU), then the median step time on both.
    private func digitsSize(objective: Objective, into report: inout GPUCheckReport) {
        let name = "training MLP(784,[128,64,10]) \(objective) 256 rows"
        report.attempt(name) { report in
            let rows = 256
            let x = GPUCheckSuite.inputs(rows * 784, seed: 17)
            let inputs = (0..<rows).map { Array(x[$0 * 784 ..< ($0 + 1) * 784]) }
            var random = RandomSource(seed: 5)
            let labels = (0..<rows).map { _ in Double(Int(random.nextUniform(0, 9.999))) }
            let batch: TrainingBatch
            if case .softmaxCrossEntropy = objective {
                batch = try TrainingBatch(rows: inputs, targets: labels)
            } else {
                let targetRows = labels.map { label in (0..<10).map { Double($0) == label ? 1.0 : -1.0 } }
                batch = try TrainingBatch(rows: inputs, targetRows: targetRows)
            }
            func trainer(_ model: MLP) -> Trainer {
                Trainer(model: model, objective: objective, regularization: 1e-4, optimizer: SGD(learningRate: 0.01))
            }
            let model = MLP(inputs: 784, layers: [128, 64, 10], seed: 1337)
            let reference = MLP(inputs: 784, layers: [128, 64, 10], seed: 1337)
            let gpu = try jit(trainer(model), on: device)
            let cpu = try jit(trainer(reference))
            var exact = true
            if case .softmaxCrossEntropy = objective { exact = false }
            var worst = 0.0
            for _ in 0..<3 {
                let got = try gpu.step(batch), want = try cpu.step(batch)
                worst = Swift.max(worst, exact ? (got.loss.bitPattern == want.loss.bitPattern ? 0 : 1)
                                              : abs(got.loss - want.loss) / Swift.max(1, abs(want.loss)))
            }
            try gpu.syncToHost()
            let parameters = model.storage.values, expected = reference.storage.values
            if exact {
                let differing = GPUCheckSuite.differing(parameters, expected)
                report.check("\(name): 3 steps equal the CPU trainer bit for bit", worst == 0 && differing == 0,
                             "\(differing) of \(parameters.count) parameters differ")
            } else {
                let far = zip(parameters, expected).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? 0
                report.check("\(name): 3 steps within 1e-10 of the CPU trainer", Swift.max(worst, far) <= 1e-10,
                             "loss \(worst), parameters \(far)")
            }
            let repeats = quick ? 3 : 20
            let onDevice = try GPUTimings.median(repeats: repeats) { try gpu.step(batch) }
            let onCPU = try GPUTimings.median(repeats: Swift.max(3, repeats / 4)) { try cpu.step(batch) }
            report.info(String(format: "TIME %@ step: %@ %.1f us, CPU compiled trainer %.1f us",
                               name, gpu.deviceName, onDevice, onCPU))
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
    }
}
