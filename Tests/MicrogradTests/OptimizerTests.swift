import Foundation
import Micrograd
import Testing

@Suite("SGD, schedules and the Trainer")
struct OptimizerTests {
    @Test("schedules: constant, karpathy's linear decay (exact), custom")
    func schedules() {
        #expect(LearningRateSchedule.constant(0.05).rate(at: 17) == 0.05)
        let decay = LearningRateSchedule.linearDecay(initial: 1.0, decay: 0.9, steps: 100)
        for k in [0, 1, 33, 99] {
            #expect(decay.rate(at: k) == 1.0 - 0.9 * Double(k) / 100)
        }
        #expect(LearningRateSchedule.custom { 1 / Double($0 + 1) }.rate(at: 3) == 0.25)
    }

    @Test("SGD updates p -= rate·grad and leaves frozen parameters alone")
    func frozenParameters() throws {
        let a = Value(1.0), b = Value(2.0), c = Value(-3.0)
        b.isLearnable = false
        for (p, g) in zip([a, b, c], [0.5, 0.5, -1.0]) { p.grad = g }
        let rate = try SGD(schedule: .linearDecay(steps: 10)).update([a, b, c], step: 5)
        #expect(rate == 1.0 - 0.9 * 5 / 10)
        #expect(a.data == 1.0 - rate * 0.5)
        #expect(b.data == 2.0)
        #expect(c.data == -3.0 + rate)
        #expect(throws: MicrogradError.self) { try SGD(learningRate: .nan).update([a], step: 0) }
    }

    @Test("a trainer leaves a frozen layer of an MLP unchanged while the rest learns")
    func frozenLayer() throws {
        let model = MLP(inputs: 2, layers: [4, 1], activations: [.tanh, .linear], seed: 7)
        let frozen = model.layers[0].parameters
        frozen.forEach { $0.isLearnable = false }
        let before = frozen.map(\.data)
        let outputBefore = model.layers[1].parameters.map(\.data)
        let trainer = Trainer(model: model, objective: .meanSquaredError(threshold: 0), optimizer: SGD(learningRate: 0.1))
        try trainer.fit(Dataset(rows: [[0, 1], [1, 0]], targets: [1, -1]), steps: 5)
        #expect(frozen.map(\.data) == before)
        #expect(model.layers[1].parameters.map(\.data) != outputBefore)
    }

    @Test("fitBatch makes exactly one update, the same as a hand-written step")
    func fitBatch() throws {
        let rows: [[Double]] = [[0.5, -1], [1, 1], [-0.3, 0.2]]
        let targets: [Double] = [1, -1, 1]
        let model = MLP(inputs: 2, layers: [3, 1], seed: 4)
        let twin = MLP(inputs: 2, layers: [3, 1], seed: 4)
        let trainer = Trainer(model: model, regularization: 1e-3, optimizer: SGD(learningRate: 0.2))
        let report = try trainer.fitBatch(rows: rows, targets: targets)
        #expect(report.step == 0 && trainer.stepCount == 1 && report.learningRate == 0.2)

        let scores = try rows.map { try twin($0)[0] }
        let loss = try Loss.hinge(scores: scores, targets: targets) + Loss.l2(twin.parameters, alpha: 1e-3)
        twin.zeroGrad()
        loss.backward()
        for p in twin.parameters { p.data -= 0.2 * p.grad }
        #expect(report.loss == loss.data)
        #expect(model.storage.values == twin.storage.values)
    }

    @Test("bad input throws: row-length mismatch, empty batch, NaN, targets count, multi-output model")
    func badInput() throws {
        let trainer = Trainer(model: MLP(inputs: 2, layers: [2, 1]), optimizer: SGD(learningRate: 0.1))
        #expect(throws: MicrogradError.inputCountMismatch(expected: 2, given: 3)) {
            try trainer.fitBatch(rows: [[1, 2, 3]], targets: [1])
        }
        #expect(throws: MicrogradError.lengthMismatch(what: "row 1", expected: 2, given: 1)) {
            try trainer.fitBatch(rows: [[1, 2], [1]], targets: [1, 1])
        }
        #expect(throws: MicrogradError.emptyBatch) { try trainer.fitBatch(rows: [], targets: []) }
        #expect(throws: MicrogradError.nonFiniteInput("row 0")) { try trainer.fitBatch(rows: [[.nan, 1]], targets: [1]) }
        #expect(throws: MicrogradError.lengthMismatch(what: "targets", expected: 1, given: 2)) {
            try trainer.fitBatch(rows: [[1, 2]], targets: [1, -1])
        }
        #expect(trainer.stepCount == 0)
        let wide = Trainer(model: MLP(inputs: 2, layers: [2]), optimizer: SGD(learningRate: 0.1))
        #expect(throws: MicrogradError.self) { try wide.fitBatch(rows: [[1, 2]], targets: [1]) }
        let exploding = Trainer(model: MLP(inputs: 1, layers: [1], seed: 1), objective: .meanSquaredError(threshold: 0),
                                optimizer: SGD(learningRate: 1e6))
        #expect(throws: MicrogradError.self) {
            try exploding.fit(Dataset(rows: [[3]], targets: [1]), steps: 50)
        }
    }

    @Test("a tanh MLP learns XOR with a fixed seed (all four points right, loss below 0.05)")
    func xor() throws {
        let (trainer, dataset) = XORProblem.makeTrainer(seed: 3)
        let reports = try trainer.fit(dataset, steps: XORProblem.steps)
        let scores = try Evaluation.scores(of: trainer.model, rows: dataset.rows)
        #expect(try Evaluation.accuracy(of: trainer.model, on: dataset, objective: trainer.objective) == 1)
        #expect(zip(scores, dataset.targets).allSatisfy { $0 * $1 > 0.5 }, "\(scores)")
        #expect(reports.last!.loss < 0.05)
        #expect(reports.first!.loss > reports.last!.loss)
    }
}
