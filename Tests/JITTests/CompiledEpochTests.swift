import JIT
import Micrograd
import Testing

/// `mgrad train digits --jit` drives ``EpochTrainer`` with the compiled trainer: the same
/// minibatches must give the interpreter's epochs bit for bit.
@Suite("EpochTrainer with the compiled trainer")
struct CompiledEpochTests {
    @Test("two digits epochs (Adam, softmax cross-entropy, minibatches of 32): compiled equals interpreted")
    func digitsEpochs() throws {
        let digits = try Digits.bundled()
        let train = try digits.train.subset(Array(0..<200))
        let test = try digits.test.subset(Array(0..<60))
        let loop = try EpochTrainer(batchSize: 32, seed: 5)
        func run(compiled: Bool) throws -> ([EpochReport], [Double]) {
            let model = MLP(inputs: 64, layers: [16, 10], seed: 2)
            model.scaleWeightsByFanIn()
            let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.01))
            let compiledTrainer = compiled ? try jit(trainer) : nil
            let reports = try loop.fit(epochs: 2, model: model, train: train, test: test) { batch in
                if let compiledTrainer { return try compiledTrainer.fitBatch(rows: batch.rows, targets: batch.targets) }
                return try trainer.fitBatch(rows: batch.rows, targets: batch.targets)
            }
            return (reports, model.storage.values)
        }
        let (interpreted, interpretedParameters) = try run(compiled: false)
        let (compiled, compiledParameters) = try run(compiled: true)
        #expect(compiled.map(\.meanLoss) == interpreted.map(\.meanLoss))
        #expect(compiled.map(\.trainAccuracy) == interpreted.map(\.trainAccuracy))
        #expect(compiled.map(\.testAccuracy) == interpreted.map(\.testAccuracy))
        #expect(compiledParameters == interpretedParameters)
        #expect(interpreted.last!.meanLoss < interpreted.first!.meanLoss)
    }
}
