import Foundation
import JIT
import Micrograd
import Testing

/// The compiled SGD step against karpathy's logged two-moons run and the interpreter's `Trainer`.
/// Tolerances (stated per test): the fixture's losses 1e-12 at step 0 and 1e-9 at every step,
/// final parameters 1e-9; compiled vs interpreted on the same data 1e-12 (`isClose`).
@Suite("Compiled training")
struct CompiledTrainingTests {
    @Test("moons: 100 compiled steps reproduce the logged losses and the interpreter's final weights")
    func moonsFixture() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel()
        let trainer = try jit(Trainer.karpathyMoons(model: model, steps: fixture.log.count))
        let reports = try trainer.fit(fixture.dataset, steps: fixture.log.count)
        #expect(reports.count == fixture.log.count)
        #expect(abs(reports[0].loss - fixture.log[0].loss) <= 1e-12, "step 0: \(reports[0].loss) vs \(fixture.log[0].loss)")
        for (report, entry) in zip(reports, fixture.log) {
            #expect(abs(report.loss - entry.loss) <= 1e-9, "step \(entry.step): loss \(report.loss) vs \(entry.loss)")
            #expect(report.accuracy == entry.accuracy, "step \(entry.step): accuracy \(report.accuracy) vs \(entry.accuracy)")
        }

        // The fixture's final weights are the (Python) interpreter's after the same 100 steps.
        let compiled = model.storage.values
        for index in compiled.indices {
            #expect(abs(compiled[index] - fixture.finalParameters[index]) <= 1e-9, "parameter \(index): \(compiled[index]) vs \(fixture.finalParameters[index])")
        }
        // The MLP's Values are bound to the trained storage: the interpreter sees the new weights.
        #expect(model.parameters.map(\.data) == compiled)
        #expect(trainer.compileDuration > .zero)
    }

    @Test("moons: the first 5 steps equal this package's interpreter (losses, gradients, weights)")
    func moonsAgainstInterpreter() throws {
        let fixture = try MoonsFixture.bundled()
        let interpreted = try fixture.makeModel(), compiled = try fixture.makeModel()
        let reference = Trainer.karpathyMoons(model: interpreted, steps: 100)
        let trainer = try jit(Trainer.karpathyMoons(model: compiled, steps: 100))
        for step in 0..<5 {
            let expected = try reference.fitBatch(rows: fixture.inputs, targets: fixture.labels)
            let got = try trainer.fitBatch(rows: fixture.inputs, targets: fixture.labels)
            #expect(isClose(got.loss, expected.loss), "step \(step)")
            #expect(zip(trainer.gradient, interpreted.parameters.map(\.grad)).allSatisfy { isClose($0, $1) }, "step \(step) gradients")
            #expect(zip(compiled.storage.values, interpreted.storage.values).allSatisfy { isClose($0, $1) }, "step \(step) weights")
        }
    }

    /// Runs `steps` steps with the interpreter and the compiled trainer on two copies of a
    /// model, comparing reports, gradients and parameters after each step (1e-12, `isClose`).
    static func compareWithInterpreter(
        layers: [Int], activations: [Activation], objective: Objective, regularization: Double,
        rows: [[Double]], targets: [Double], steps: Int, freezing frozen: Set<Int> = []
    ) throws {
        let interpreted = MLP(inputs: rows[0].count, layers: layers, activations: activations, seed: 7)
        let compiled = MLP(inputs: rows[0].count, layers: layers, activations: activations, seed: 7)
        for index in frozen {
            interpreted.parameters[index].isLearnable = false
            compiled.parameters[index].isLearnable = false
        }
        let optimizer = SGD(schedule: .linearDecay(initial: 0.5, decay: 0.4, steps: steps))
        let reference = Trainer(model: interpreted, objective: objective, regularization: regularization, optimizer: optimizer)
        let trainer = try CompiledTrainer(model: compiled, objective: objective, regularization: regularization, optimizer: optimizer)
        let context = "\(objective) \(activations) alpha \(regularization)"
        for step in 0..<steps {
            let expected = try reference.fitBatch(rows: rows, targets: targets)
            let got = try trainer.fitBatch(rows: rows, targets: targets)
            #expect(isClose(got.loss, expected.loss), "\(context) step \(step): loss \(got.loss) vs \(expected.loss)")
            #expect(got.accuracy == expected.accuracy, "\(context) step \(step): accuracy")
            #expect(got.learningRate == expected.learningRate)
            for (index, (g, e)) in zip(trainer.gradient, interpreted.parameters.map(\.grad)).enumerated() {
                #expect(isClose(g, e), "\(context) step \(step): gradient \(index) \(g) vs \(e)")
            }
            for (index, (g, e)) in zip(compiled.storage.values, interpreted.storage.values).enumerated() {
                #expect(isClose(g, e), "\(context) step \(step): parameter \(index) \(g) vs \(e)")
            }
        }
    }

    static let rows: [[Double]] = (0..<13).map { i in
        let t = Double(i) * 0.37
        return [sin(t) * 1.3, cos(2 * t) - 0.2, t / 5 - 1]
    }

    @Test("hinge, MSE and binary cross-entropy, each activation, with and without L2: compiled == interpreted")
    func objectivesAndActivations() throws {
        let signs = Self.rows.indices.map { $0 % 3 == 0 ? 1.0 : -1.0 }
        let probabilities = Self.rows.indices.map { $0 % 2 == 0 ? 1.0 : 0.0 }
        let cases: [(Objective, [Double])] = [
            (.hinge, signs), (.meanSquaredError(threshold: 0), signs), (.binaryCrossEntropy, probabilities),
        ]
        for (objective, targets) in cases {
            for hidden in [Activation.relu, .tanh, .sigmoid] {
                for alpha in [0.0, 1e-3] {
                    try Self.compareWithInterpreter(
                        layers: [5, 4, 1], activations: [hidden, .tanh, .linear], objective: objective,
                        regularization: alpha, rows: Self.rows, targets: targets, steps: 4)
                }
            }
        }
    }

    @Test("frozen parameters are not updated; the others train as in the interpreter")
    func frozenParameters() throws {
        let targets = Self.rows.indices.map { $0 % 2 == 0 ? 1.0 : -1.0 }
        try Self.compareWithInterpreter(
            layers: [4, 1], activations: [.relu, .linear], objective: .hinge, regularization: 1e-2,
            rows: Self.rows, targets: targets, steps: 3, freezing: [0, 5, 19, 20])
        let model = MLP(inputs: 3, layers: [4, 1], seed: 1)
        let before = model.storage.values
        for index in [0, 5, 20] { model.parameters[index].isLearnable = false }
        let trainer = try CompiledTrainer(model: model, regularization: 1e-2, optimizer: SGD(learningRate: 0.1))
        try trainer.fitBatch(rows: Self.rows, targets: targets)
        let after = model.storage.values
        for index in [0, 5, 20] { #expect(after[index] == before[index], "frozen parameter \(index) changed") }
        #expect(zip(after, before).filter { $0 != $1 }.count > 10, "the learnable parameters moved")
    }

    @Test("minibatches: each fitBatch is one step on its rows, as the interpreter's")
    func minibatches() throws {
        let targets = Self.rows.indices.map { $0 % 3 == 0 ? 1.0 : -1.0 }
        let interpreted = MLP(inputs: 3, layers: [6, 1], seed: 3)
        let compiled = MLP(inputs: 3, layers: [6, 1], seed: 3)
        let reference = Trainer(model: interpreted, objective: .hinge, regularization: 1e-4, optimizer: SGD(learningRate: 0.3))
        let trainer = try CompiledTrainer(model: compiled, objective: .hinge, regularization: 1e-4, optimizer: SGD(learningRate: 0.3))
        for start in stride(from: 0, to: Self.rows.count, by: 4) {
            let range = start ..< min(start + 4, Self.rows.count)
            let batchRows = Array(Self.rows[range]), batchTargets = Array(targets[range])
            let expected = try reference.fitBatch(rows: batchRows, targets: batchTargets)
            let got = try trainer.fitBatch(rows: batchRows, targets: batchTargets)
            #expect(isClose(got.loss, expected.loss), "batch at \(start)")
        }
        for (g, e) in zip(compiled.storage.values, interpreted.storage.values) { #expect(isClose(g, e)) }
        #expect(trainer.stepCount == reference.stepCount)
    }

    @Test("several outputs: one loss term per row and output, as the flattened interpreter loss")
    func severalOutputs() throws {
        let targetRows = Self.rows.indices.map { i in (0..<3).map { $0 == i % 3 ? 1.0 : -1.0 } }
        let interpreted = MLP(inputs: 3, layers: [5, 3], seed: 11)
        let compiled = MLP(inputs: 3, layers: [5, 3], seed: 11)
        let trainer = try CompiledTrainer(model: compiled, objective: .hinge, regularization: 1e-3, optimizer: SGD(learningRate: 0.2))
        let batch = try TrainingBatch(rows: Self.rows, targetRows: targetRows)
        for step in 0..<3 {
            let scores = try Self.rows.flatMap { try interpreted($0) }
            let loss = try Loss.hinge(scores: scores, targets: Array(targetRows.joined())) + Loss.l2(interpreted.parameters, alpha: 1e-3)
            interpreted.zeroGrad()
            loss.backward()
            try SGD(learningRate: 0.2).update(interpreted.parameters, step: step)
            let got = try trainer.step(batch)
            #expect(isClose(got.loss, loss.data), "step \(step): \(got.loss) vs \(loss.data)")
            for (g, e) in zip(compiled.storage.values, interpreted.storage.values) { #expect(isClose(g, e)) }
        }
    }
}
