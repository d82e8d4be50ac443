import Foundation
import JIT
import Micrograd
import Testing

/// The compiled trainer with momentum, Adam, AdamW and softmax cross-entropy: step by step,
/// the loss, the accuracy, every parameter and the gradient equal the interpreter's `Trainer`
/// bit for bit (the interpreter is the oracle; its optimisers are tested against PyTorch's
/// formulas in MicrogradTests).
@Suite("Compiled optimisers and softmax cross-entropy")
struct CompiledOptimizerTests {
    /// A small 3-class problem: rows of 4 features, labels 0...2, and a ±1 target per row.
    static func data(rows: Int = 24, seed: UInt64 = 5) -> (rows: [[Double]], labels: [Double], signs: [Double]) {
        var random = RandomSource(seed: seed)
        let x = (0..<rows).map { _ in (0..<4).map { _ in random.nextUniform(-2, 2) } }
        let labels = x.map { row in Double(row[0] + row[1] > 0.5 ? 2 : (row[2] > 0 ? 1 : 0)) }
        return (x, labels, x.map { $0[3] > 0 ? 1 : -1 })
    }

    /// Trains twin models, interpreted and compiled, for `steps` minibatch steps and checks
    /// every step's figures and parameters for equality.
    static func compare(
        objective: Objective, optimizer: any Optimizer, layers: [Int], regularization: Double = 0,
        freeze: [Int] = [], interpretedSteps: Int = 0, unfreezeAfterInterpreted: Bool = false, steps: Int = 6,
        context: String
    ) throws {
        let (rows, labels, signs) = data()
        let targets = objective.isSoftmax ? labels : signs
        let interpretedModel = MLP(inputs: 4, layers: layers, seed: 11)
        let compiledModel = MLP(inputs: 4, layers: layers, seed: 11)
        for index in freeze {
            interpretedModel.parameters[index].isLearnable = false
            compiledModel.parameters[index].isLearnable = false
        }
        let interpreted = Trainer(
            model: interpretedModel, objective: objective, regularization: regularization, optimizer: optimizer)
        let twin = Trainer(
            model: compiledModel, objective: objective, regularization: regularization, optimizer: optimizer)
        // Steps the interpreter makes first (both trainers), so the compiled one starts from state.
        for step in 0..<interpretedSteps {
            let batch = step % 3 * 8 ..< step % 3 * 8 + 8
            try interpreted.fitBatch(rows: Array(rows[batch]), targets: Array(targets[batch]))
            try twin.fitBatch(rows: Array(rows[batch]), targets: Array(targets[batch]))
        }
        if unfreezeAfterInterpreted {
            // The parameters frozen so far now have fewer updates than the others (Adam's counts differ).
            for index in freeze {
                interpretedModel.parameters[index].isLearnable = true
                compiledModel.parameters[index].isLearnable = true
            }
        }
        let compiled = try jit(twin)
        for step in interpretedSteps..<(interpretedSteps + steps) {
            let batch = step % 3 * 8 ..< step % 3 * 8 + 8
            let expected = try interpreted.fitBatch(rows: Array(rows[batch]), targets: Array(targets[batch]))
            let got = try compiled.fitBatch(rows: Array(rows[batch]), targets: Array(targets[batch]))
            #expect(got.loss.bitPattern == expected.loss.bitPattern, "\(context) step \(step): loss \(got.loss) vs \(expected.loss)")
            #expect(got.accuracy == expected.accuracy, "\(context) step \(step): accuracy")
            #expect(compiled.gradient == interpretedModel.parameters.map(\.grad), "\(context) step \(step): gradient")
            let (mine, theirs) = (compiledModel.parameters, interpretedModel.parameters)
            let mismatch = mine.indices.first { mine[$0].data.bitPattern != theirs[$0].data.bitPattern }
            #expect(mismatch == nil, "\(context) step \(step): parameter \(mismatch ?? -1) differs")
        }
    }

    @Test("softmax cross-entropy with SGD, with and without L2, with a ReLU or tanh hidden layer")
    func softmaxSGD() throws {
        try Self.compare(objective: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.3), layers: [6, 3],
                         context: "softmax SGD")
        try Self.compare(objective: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.3), layers: [5, 5, 3],
                         regularization: 1e-3, context: "softmax SGD L2")
    }

    @Test("MomentumSGD: momentum, dampening, Nesterov, weight decay, frozen parameters")
    func momentum() throws {
        let cases: [(String, MomentumSGD)] = [
            ("momentum", MomentumSGD(learningRate: 0.1, momentum: 0.9)),
            ("dampening", MomentumSGD(learningRate: 0.1, momentum: 0.8, dampening: 0.3)),
            ("nesterov+wd", MomentumSGD(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-2)),
            ("no momentum", MomentumSGD(learningRate: 0.1, weightDecay: 1e-3)),
        ]
        for (name, optimizer) in cases {
            try Self.compare(objective: .softmaxCrossEntropy, optimizer: optimizer, layers: [6, 3], freeze: [0, 7],
                             context: name)
            try Self.compare(objective: .hinge, optimizer: optimizer, layers: [6, 1], context: "\(name) hinge")
        }
    }

    @Test("Adam and AdamW, defaults and weight decay, also continuing an interpreted trainer's state")
    func adam() throws {
        let cases: [(String, any Optimizer)] = [
            ("adam", Adam(learningRate: 0.01)),
            ("adam wd", Adam(learningRate: 0.01, beta1: 0.8, weightDecay: 1e-2)),
            ("adamw", AdamW(learningRate: 0.01)),
            ("adamw cosine", AdamW(schedule: .cosine(initial: 0.02, steps: 10), weightDecay: 0.1)),
        ]
        for (name, optimizer) in cases {
            try Self.compare(objective: .softmaxCrossEntropy, optimizer: optimizer, layers: [6, 3], freeze: [2],
                             context: name)
            try Self.compare(objective: .softmaxCrossEntropy, optimizer: optimizer, layers: [6, 3],
                             interpretedSteps: 3, context: "\(name) continued")
            try Self.compare(objective: .binaryCrossEntropy, optimizer: optimizer, layers: [4, 1],
                             context: "\(name) bce")
            try Self.compare(objective: .softmaxCrossEntropy, optimizer: optimizer, layers: [6, 3], freeze: [0, 9],
                             interpretedSteps: 2, unfreezeAfterInterpreted: true, context: "\(name) unequal counts")
        }
    }

    @Test("freezing and unfreezing between compiled steps takes effect at the next step")
    func freezeBetweenSteps() throws {
        let (rows, labels, _) = Self.data()
        let model = MLP(inputs: 4, layers: [6, 3], seed: 3)
        let trainer = try CompiledTrainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.05))
        try trainer.fitBatch(rows: rows, targets: labels)
        model.parameters[5].isLearnable = false
        let frozen = model.parameters[5].data, other = model.parameters[6].data
        try trainer.fitBatch(rows: rows, targets: labels)
        #expect(model.parameters[5].data == frozen)
        #expect(model.parameters[6].data != other)
        model.parameters[5].isLearnable = true
        try trainer.fitBatch(rows: rows, targets: labels)
        #expect(model.parameters[5].data != frozen)
    }

    @Test("bad labels, an optimiser changed after compilation, and other optimisers are thrown errors")
    func errors() throws {
        let model = MLP(inputs: 4, layers: [3, 3], seed: 1)
        let trainer = try CompiledTrainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam())
        let row = [0.1, 0.2, 0.3, 0.4]
        for label in [3.0, -1, 0.5, .nan] {
            #expect(throws: MicrogradError.self) { try trainer.fitBatch(rows: [row], targets: [label]) }
        }
        #expect(throws: MicrogradError.self) { try trainer.step(TrainingBatch(rows: [row], targetRows: [[0, 1, 0]])) }
        trainer.optimizer = Adam(beta1: 0.5)
        #expect(throws: MicrogradError.self) { try trainer.fitBatch(rows: [row], targets: [1]) }
        trainer.optimizer = Adam()
        #expect(try trainer.fitBatch(rows: [row], targets: [1]).loss.isFinite)

        struct Halving: Optimizer {
            var schedule = LearningRateSchedule.constant(0.5)
            mutating func update(_ parameters: [Value], step: Int) throws -> Double { 0.5 }
        }
        #expect(throws: JITError.self) { try CompiledTrainer(model: model, optimizer: Halving()) }
        #expect(throws: MicrogradError.self) { try CompiledTrainer(model: model, optimizer: Adam(beta2: 1)) }
    }
}

extension Objective {
    var isSoftmax: Bool {
        if case .softmaxCrossEntropy = self { return true }
        return false
    }
}

/// Checkpoints with optimiser state: training saved, restored (from a file) and continued gives
/// the same parameters as training without a break, interpreted, compiled and across the two.
@Suite("Checkpoints with optimiser state")
struct OptimizerCheckpointTests {
    static func run(
        _ optimizer: any Optimizer, compiledFirst: Bool, compiledSecond: Bool
    ) throws -> (straight: [Double], resumed: [Double], checkpoint: Checkpoint) {
        let (rows, labels, _) = CompiledOptimizerTests.data()
        func batch(_ step: Int) -> ([[Double]], [Double]) {
            let range = step % 3 * 8 ..< step % 3 * 8 + 8
            return (Array(rows[range]), Array(labels[range]))
        }
        let straight = MLP(inputs: 4, layers: [6, 3], seed: 11)
        let reference = Trainer(model: straight, objective: .softmaxCrossEntropy, optimizer: optimizer)
        for step in 0..<8 { let (x, y) = batch(step); try reference.fitBatch(rows: x, targets: y) }

        let first = MLP(inputs: 4, layers: [6, 3], seed: 11)
        let firstTrainer = Trainer(model: first, objective: .softmaxCrossEntropy, optimizer: optimizer)
        let firstCompiled = compiledFirst ? try jit(firstTrainer) : nil
        for step in 0..<4 {
            let (x, y) = batch(step)
            if let firstCompiled { try firstCompiled.fitBatch(rows: x, targets: y) } else {
                try firstTrainer.fitBatch(rows: x, targets: y)
            }
        }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("mgrad-optimizer-checkpoint-\(UInt64.random(in: 0 ... .max)).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try (firstCompiled?.checkpoint() ?? firstTrainer.checkpoint()).write(to: file)
        let checkpoint = try Checkpoint(contentsOf: file)

        let second = MLP(inputs: 4, layers: [6, 3], seed: 99)
        let secondTrainer = Trainer(model: second, objective: .softmaxCrossEntropy, optimizer: optimizer)
        if compiledSecond {
            let compiled = try jit(secondTrainer)
            try compiled.restore(from: checkpoint)
            for step in 4..<8 { let (x, y) = batch(step); try compiled.fitBatch(rows: x, targets: y) }
        } else {
            try secondTrainer.restore(from: checkpoint)
            for step in 4..<8 { let (x, y) = batch(step); try secondTrainer.fitBatch(rows: x, targets: y) }
        }
        return (straight.parameters.map(\.data), second.parameters.map(\.data), checkpoint)
    }

    @Test("Adam, AdamW and momentum: saved after 4 steps, resumed for 4: as 8 steps without a break")
    func resume() throws {
        let optimizers: [any Optimizer] = [
            Adam(learningRate: 0.01), AdamW(learningRate: 0.02), MomentumSGD(learningRate: 0.1, momentum: 0.9, nesterov: true),
        ]
        for optimizer in optimizers {
            for (compiledFirst, compiledSecond) in [(false, false), (true, true), (true, false), (false, true)] {
                let result = try Self.run(optimizer, compiledFirst: compiledFirst, compiledSecond: compiledSecond)
                let context = "\(type(of: optimizer)) compiled \(compiledFirst)/\(compiledSecond)"
                #expect(result.resumed.map(\.bitPattern) == result.straight.map(\.bitPattern), "\(context)")
                #expect(result.checkpoint.step == 4, "\(context)")
                #expect(!result.checkpoint.state.isEmpty, "\(context)")
            }
        }
    }

    @Test("a state that does not fit the optimiser or the model is a thrown error, and changes nothing")
    func mismatches() throws {
        let model = MLP(inputs: 4, layers: [6, 3], seed: 11)
        let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam())
        let before = model.parameters.map(\.data)
        var bad = trainer.checkpoint()
        bad.state = ["adam.m": [1, 2]]
        #expect(throws: MicrogradError.self) { try trainer.restore(from: bad) }
        bad.state = ["momentum.buffer": Array(repeating: 0, count: model.parameters.count)]
        #expect(throws: MicrogradError.self) { try trainer.restore(from: bad) }
        let other = Checkpoint(model: MLP(inputs: 4, layers: [5, 3], seed: 1))
        #expect(throws: MicrogradError.self) { try trainer.restore(from: other) }
        let compiled = try jit(trainer)
        #expect(throws: MicrogradError.self) { try compiled.restore(from: other) }
        #expect(model.parameters.map(\.data) == before)
        let plain = Trainer(model: model, optimizer: SGD(learningRate: 0.1))
        var withState = plain.checkpoint()
        withState.state = ["adam.t": [1]]
        #expect(throws: MicrogradError.self) { try plain.restore(from: withState) }
    }
}
