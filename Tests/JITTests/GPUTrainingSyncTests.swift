import Foundation
@testable import JIT
import Micrograd
import Testing

/// Where the GPU trainer's parameters live (on the device until `syncToHost()`), and the
/// objectives that go through the built-in math routines (softmax cross-entropy, tanh), checked
/// with the GPU-shaped step on the host against the CPU compiled trainer.
@Suite("GPU training: syncs and transcendental objectives")
struct GPUTrainingSyncTests {
    @Test("the model is stale until syncToHost; host changes reach the step after syncToDevice")
    func syncs() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel(), cpuModel = try fixture.makeModel()
        let trainer = try DeviceTrainer(hostKernelsFor: Trainer.karpathyMoons(model: model))
        let cpu = try jit(Trainer.karpathyMoons(model: cpuModel))
        let batch = TrainingBatch(fixture.dataset)
        let initial = model.storage.values
        try trainer.step(batch)
        try cpu.step(batch)
        #expect(model.storage.values == initial, "a step changes only the device's copy")
        try trainer.syncToHost()
        #expect(GPUTrainingHostTests.differing(model.storage.values, cpuModel.storage.values).isEmpty)
        // The host halves every parameter: the next step starts from the halved ones.
        for index in 0..<model.storage.count {
            model.storage.baseAddress[index] *= 0.5
            cpuModel.storage.baseAddress[index] *= 0.5
        }
        try trainer.syncToDevice()
        let got = try trainer.step(batch), want = try cpu.step(batch)
        #expect(got.loss.bitPattern == want.loss.bitPattern && got.step == 1)
        try trainer.syncToHost()
        #expect(GPUTrainingHostTests.differing(model.storage.values, cpuModel.storage.values).isEmpty)
    }

    @Test("freezing takes effect at the next step without a sync")
    func freezing() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel()
        let trainer = try DeviceTrainer(hostKernelsFor: Trainer.karpathyMoons(model: model))
        let batch = TrainingBatch(fixture.dataset)
        try trainer.step(batch)
        try trainer.syncToHost()
        let before = model.storage.values
        model.parameters[7].isLearnable = false
        try trainer.step(batch)
        try trainer.syncToHost()
        #expect(model.storage.values[7] == before[7])
        #expect(model.storage.values[8] != before[8])
    }

    @Test("softmax, tanh with squared error, sigmoid with binary cross-entropy: within 1e-10 of the CPU trainer",
          arguments: [0, 1, 2])
    func transcendental(kind: Int) throws {
        let rows = GPUTrainingHostTests.data(rows: 31, inputs: 5, seed: 21)
        let activations: [Activation] = [[.relu, .linear], [.tanh, .linear], [.sigmoid, .linear]][kind]
        let layers = kind == 0 ? [8, 3] : [8, 1]
        let objective: Objective = [.softmaxCrossEntropy, .meanSquaredError(threshold: 0), .binaryCrossEntropy][kind]
        let targets = rows.map { row -> Double in
            switch kind {
            case 0: Double(Int((row[0] + 2) * 0.74))
            case 1: row[1] * row[2]
            default: row[3] > 0 ? 1 : 0
            }
        }
        func trainer(_ model: MLP) -> Trainer {
            Trainer(model: model, objective: objective, regularization: 1e-3, optimizer: Adam(learningRate: 0.01))
        }
        let cpuModel = MLP(inputs: 5, layers: layers, activations: activations, seed: 3)
        let model = MLP(inputs: 5, layers: layers, activations: activations, seed: 3)
        let cpu = try jit(trainer(cpuModel))
        let gpuShaped = try DeviceTrainer(hostKernelsFor: trainer(model))
        let batch = try TrainingBatch(rows: rows, targets: targets)
        for step in 0..<4 {
            let want = try cpu.step(batch), got = try gpuShaped.step(batch)
            #expect(isClose(got.loss, want.loss, relative: 1e-10), "step \(step): \(got.loss) vs \(want.loss)")
            #expect(got.accuracy == want.accuracy)
        }
        try gpuShaped.syncToHost()
        for (g, e) in zip(model.storage.values, cpuModel.storage.values) { #expect(isClose(g, e, relative: 1e-9)) }
    }

    @Test("a bad batch or a changed optimiser throws before anything runs")
    func errors() throws {
        let model = MLP(inputs: 2, layers: [3, 1], seed: 1)
        let interpreted = Trainer(model: model, optimizer: SGD(learningRate: 0.1))
        let trainer = try DeviceTrainer(hostKernelsFor: interpreted)
        #expect(throws: MicrogradError.self) { try trainer.step(TrainingBatch(rows: [[1, 2, 3]], targets: [1])) }
        #expect(throws: MicrogradError.self) {
            try trainer.step(TrainingBatch(rows: [[1, 2]], targetRows: [[1, -1]]))
        }
        let softmax = try DeviceTrainer(hostKernelsFor: Trainer(
            model: MLP(inputs: 2, layers: [3], seed: 1), objective: .softmaxCrossEntropy,
            optimizer: SGD(learningRate: 0.1)))
        #expect(throws: MicrogradError.self) { try softmax.step(TrainingBatch(rows: [[1, 2]], targets: [3])) }
        #expect(trainer.stepCount == 0 && softmax.stepCount == 0)
    }
}

/// A GPU trainer continuing an interpreted one: its step count and the optimiser's state.
@Suite("GPU training continues an interpreted trainer")
struct GPUTrainingContinuationTests {
    @Test("3 interpreted Adam steps, then 3 GPU-shaped ones: the bits of 6 interpreted steps")
    func continuesAdam() throws {
        let rows = GPUTrainingHostTests.data(rows: 17, inputs: 3, seed: 2)
        let targets = rows.map { $0[0] + $0[1] > 0 ? 1.0 : -1.0 }
        func trainer(_ model: MLP) -> Trainer {
            Trainer(model: model, objective: .hinge, regularization: 1e-4,
                    optimizer: Adam(schedule: .linearDecay(initial: 0.05, steps: 6)))
        }
        let reference = MLP(inputs: 3, layers: [6, 1], seed: 4), model = MLP(inputs: 3, layers: [6, 1], seed: 4)
        let all = trainer(reference), first = trainer(model)
        var expected: [TrainingProgress] = []
        for _ in 0..<6 { expected.append(try all.fitBatch(rows: rows, targets: targets)) }
        for _ in 0..<3 { _ = try first.fitBatch(rows: rows, targets: targets) }
        let continued = try DeviceTrainer(hostKernelsFor: first)
        #expect(continued.stepCount == 3)
        for step in 3..<6 {
            let got = try continued.fitBatch(rows: rows, targets: targets)
            #expect(got.step == step && got.loss.bitPattern == expected[step].loss.bitPattern, "step \(step)")
        }
        try continued.syncToHost()
        #expect(GPUTrainingHostTests.differing(model.storage.values, reference.storage.values).isEmpty)
    }
}
