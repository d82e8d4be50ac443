import JIT
import Micrograd
import Testing

/// `CompiledTrainer.detectsAnomalies`: a step whose loss or parameters become non-finite throws,
/// naming the step and the parameter, and leaves the parameters as they were.
@Suite("Compiled training anomalies")
struct CompiledTrainerAnomalyTests {
    @Test("a parameter overflowing to infinity is named by its index; the step is undone")
    func parameterOverflow() throws {
        // A linear model; the huge first feature makes w0's gradient about 1e6, so a rate of
        // 1e303 overflows w0 only. The interpreter's trainer, on a twin, says which index that is.
        let rows: [[Double]] = [[1e6, 0.5]]
        let model = MLP(inputs: 2, layers: [1], seed: 9)
        let score = try model(rows[0])[0].data
        let targets = [score > 0 ? -1.0 : 1.0]   // a violated margin: nonzero gradients
        let optimizer = SGD(schedule: .custom { $0 == 0 ? 0 : 1e303 })
        let trainer = try CompiledTrainer(model: model, optimizer: optimizer)
        trainer.detectsAnomalies = true
        try trainer.fitBatch(rows: rows, targets: targets)   // step 0: rate 0, finite
        let before = model.storage.values

        let twin = MLP(inputs: 2, layers: [1], seed: 9)
        let reference = Trainer(model: twin, optimizer: optimizer)
        try reference.fitBatch(rows: rows, targets: targets)
        try reference.fitBatch(rows: rows, targets: targets)
        let expectedIndex = try #require(twin.storage.values.firstIndex { !$0.isFinite })

        do {
            try trainer.fitBatch(rows: rows, targets: targets)
            Issue.record("no error")
        } catch JITError.nonFiniteTraining(let step, let parameterIndex, let detail) {
            #expect(step == 1)
            #expect(parameterIndex == expectedIndex)
            #expect(detail.hasPrefix("became -inf") || detail.hasPrefix("became inf"))
        }
        #expect(model.storage.values == before)
        #expect(trainer.stepCount == 1)
    }

    @Test("jit(trainer) carries the interpreter trainer's detectsAnomalies setting")
    func carriedFromTrainer() throws {
        let trainer = Trainer(model: MLP(inputs: 2, layers: [1], seed: 9), optimizer: SGD(schedule: .constant(0.1)))
        #expect(try jit(trainer).detectsAnomalies == false)
        trainer.detectsAnomalies = true
        #expect(try jit(trainer).detectsAnomalies == true)
    }

    @Test("a non-finite loss throws the JIT error with the option, the engine's error without")
    func lossNotFinite() throws {
        let model = MLP(inputs: 2, layers: [3, 1], seed: 5)
        let trainer = try CompiledTrainer(model: model, regularization: .infinity, optimizer: SGD(learningRate: 0.1))
        let before = model.storage.values
        #expect(throws: MicrogradError.nonFiniteInput("the loss at step 0 (inf)")) {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
        }
        trainer.detectsAnomalies = true
        #expect(throws: JITError.nonFiniteTraining(step: 0, parameterIndex: nil, detail: "is inf")) {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
        }
        #expect("\(JITError.nonFiniteTraining(step: 0, parameterIndex: nil, detail: "is inf"))"
            == "non-finite training step 0: the loss is inf")
        #expect(model.storage.values == before)
        #expect(trainer.stepCount == 0)
    }

    @Test("finite steps with the option train exactly as without it")
    func noFalseAlarm() throws {
        let rows: [[Double]] = [[0.5, 1], [-1, 2], [2, -0.5]], targets: [Double] = [1, -1, 1]
        let checkedModel = MLP(inputs: 2, layers: [4, 1], seed: 12)
        let plainModel = MLP(inputs: 2, layers: [4, 1], seed: 12)
        let checked = try CompiledTrainer(model: checkedModel, regularization: 1e-4, optimizer: SGD(learningRate: 0.2))
        let plain = try CompiledTrainer(model: plainModel, regularization: 1e-4, optimizer: SGD(learningRate: 0.2))
        checked.detectsAnomalies = true
        for _ in 0..<5 {
            let a = try checked.fitBatch(rows: rows, targets: targets)
            let b = try plain.fitBatch(rows: rows, targets: targets)
            #expect(a.loss == b.loss)
        }
        #expect(checkedModel.storage.values == plainModel.storage.values)
    }
}
