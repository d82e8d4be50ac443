import Foundation
@testable import JIT
import Micrograd
import Testing

/// The GPU training step's arithmetic checked on the CPU: the very per-thread functions the four
/// kernels inline (same emitter, `addrspace(1)` pointers, the built-in math routines) compiled
/// for the host and run thread by thread (`HostTrainingBackend`), against the interpreter's
/// `Trainer`, step by step, bit for bit in Float64.
@Suite("GPU training step on the CPU")
struct GPUTrainingHostTests {
    /// The positions whose bits differ.
    static func differing(_ a: [Double], _ b: [Double]) -> [Int] {
        guard a.count == b.count else { return Array(0..<Swift.max(a.count, b.count)) }
        return a.indices.filter { a[$0].bitPattern != b[$0].bitPattern }
    }

    @Test("moons: 100 GPU-shaped steps log the interpreter's losses bit for bit, and the fixture's")
    func moons() throws {
        let fixture = try MoonsFixture.bundled()
        let interpretedModel = try fixture.makeModel(), model = try fixture.makeModel()
        let reference = Trainer.karpathyMoons(model: interpretedModel, steps: fixture.log.count)
        let expected = try reference.fit(fixture.dataset, steps: fixture.log.count)
        let trainer = try DeviceTrainer(hostKernelsFor: Trainer.karpathyMoons(model: model, steps: fixture.log.count))
        let before = model.storage.values
        let reports = try trainer.fit(fixture.dataset, steps: fixture.log.count)
        #expect(reports.count == fixture.log.count)
        for (step, (got, want)) in zip(reports, expected).enumerated() {
            #expect(got.loss.bitPattern == want.loss.bitPattern, "step \(step): \(got.loss) vs \(want.loss)")
            #expect(got.accuracy == want.accuracy && got.learningRate == want.learningRate && got.step == step)
            #expect(abs(got.loss - fixture.log[step].loss) <= 1e-9, "step \(step) against the fixture")
        }
        #expect(reports.first?.loss == 0.8958441028683222 && reports.last?.loss == 0.010978370135492717)
        #expect(model.storage.values != before, "fit ends with syncToHost")
        #expect(Self.differing(model.storage.values, interpretedModel.storage.values).isEmpty, "final parameters")
        #expect(trainer.stepCount == fixture.log.count)
    }

    /// `steps` steps of the interpreter and of the GPU-shaped step on two copies of a model,
    /// comparing losses, accuracies, gradients and parameters after each step, bit for bit.
    static func compare(
        layers: [Int], activations: [Activation], objective: Objective, regularization: Double,
        optimizer: () -> any Optimizer, rows: [[Double]], targets: [Double], steps: Int, frozen: Set<Int> = []
    ) throws {
        let interpreted = MLP(inputs: rows[0].count, layers: layers, activations: activations, seed: 7)
        let model = MLP(inputs: rows[0].count, layers: layers, activations: activations, seed: 7)
        for index in frozen {
            interpreted.parameters[index].isLearnable = false
            model.parameters[index].isLearnable = false
        }
        let reference = Trainer(model: interpreted, objective: objective, regularization: regularization,
                                optimizer: optimizer())
        let trainer = try DeviceTrainer(hostKernelsFor: Trainer(
            model: model, objective: objective, regularization: regularization, optimizer: optimizer()))
        let batch = try TrainingBatch(rows: rows, targets: targets)
        let frozenValues = frozen.sorted().map { model.parameters[$0].data }
        for step in 0..<steps {
            let want = try reference.fitBatch(rows: rows, targets: targets)
            let got = try trainer.step(batch)
            try trainer.syncToHost()
            #expect(got.loss.bitPattern == want.loss.bitPattern, "step \(step): loss \(got.loss) vs \(want.loss)")
            #expect(got.accuracy == want.accuracy && got.learningRate == want.learningRate)
            let gradients = Self.differing(try trainer.gradient(), interpreted.parameters.map(\.grad))
            #expect(gradients.isEmpty,
                    "step \(step): \(gradients.count) gradients differ, first \(gradients.first ?? -1)")
            let parameters = Self.differing(model.storage.values, interpreted.storage.values)
            #expect(parameters.isEmpty, "step \(step): \(parameters.count) parameters differ")
        }
        #expect(frozen.sorted().map { model.parameters[$0].data } == frozenValues, "frozen parameters kept")
    }

    static func data(rows: Int, inputs: Int, seed: UInt64) -> [[Double]] {
        var random = RandomSource(seed: seed)
        return (0..<rows).map { _ in (0..<inputs).map { _ in random.nextUniform(-2, 2) } }
    }

    @Test("hinge, L2, linear-decay SGD, frozen parameters: bit for bit, 6 steps")
    func hingeFrozen() throws {
        let rows = Self.data(rows: 37, inputs: 3, seed: 4)
        let targets = rows.map { $0[0] * $0[1] > 0.2 ? 1.0 : -1.0 }
        try Self.compare(layers: [9, 5, 1], activations: [.relu, .relu, .linear], objective: .hinge,
                         regularization: 1e-3, optimizer: { SGD(schedule: .linearDecay(steps: 6)) },
                         rows: rows, targets: targets, steps: 6, frozen: [0, 5, 40, 60])
    }

    @Test("squared error, no L2, cosine SGD: the interpreter bit for bit, 5 steps")
    func meanSquaredError() throws {
        let rows = Self.data(rows: 23, inputs: 4, seed: 9)
        try Self.compare(layers: [6, 1], activations: [.relu, .linear], objective: .meanSquaredError(threshold: 0),
                         regularization: 0, optimizer: { SGD(schedule: .cosine(initial: 0.05, steps: 5)) },
                         rows: rows, targets: rows.map { $0[0] - $0[2] }, steps: 5)
    }

    @Test("squared error, two outputs: the CPU compiled trainer bit for bit, 5 steps")
    func severalOutputs() throws {
        let rows = Self.data(rows: 23, inputs: 4, seed: 9)
        let cpuModel = MLP(inputs: 4, layers: [6, 2], activations: [.relu, .linear], seed: 7)
        let model = MLP(inputs: 4, layers: [6, 2], activations: [.relu, .linear], seed: 7)
        let batch = try TrainingBatch(rows: rows, targetRows: rows.map { [$0[0] - $0[2], $0[1] * 0.5] })
        func trainer(_ model: MLP) -> Trainer {
            Trainer(model: model, objective: .meanSquaredError(threshold: 0), regularization: 1e-3,
                    optimizer: SGD(learningRate: 0.05))
        }
        let cpu = try jit(trainer(cpuModel))
        let gpuShaped = try DeviceTrainer(hostKernelsFor: trainer(model))
        for step in 0..<5 {
            let want = try cpu.step(batch)
            let got = try gpuShaped.step(batch)
            try gpuShaped.syncToHost()
            #expect(got.loss.bitPattern == want.loss.bitPattern, "step \(step): \(got.loss) vs \(want.loss)")
            #expect(got.accuracy == want.accuracy)
            #expect(Self.differing(model.storage.values, cpuModel.storage.values).isEmpty, "step \(step)")
        }
    }

    @Test("momentum (Nesterov, weight decay) and Adam: bit for bit, 4 steps", arguments: [0, 1, 2])
    func optimizers(kind: Int) throws {
        let rows = Self.data(rows: 19, inputs: 2, seed: 11)
        let targets = rows.map { $0[0] > $0[1] ? 1.0 : -1.0 }
        let optimizer: () -> any Optimizer = {
            switch kind {
            case 0: MomentumSGD(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3)
            case 1: Adam(learningRate: 0.01)
            default: AdamW(learningRate: 0.01, weightDecay: 0.01)
            }
        }
        try Self.compare(layers: [8, 1], activations: [.relu, .linear], objective: .hinge, regularization: 1e-4,
                         optimizer: optimizer, rows: rows, targets: targets, steps: 4, frozen: kind == 1 ? [3] : [])
    }
}
