import JIT
import Micrograd
import Testing

/// Bad input to the compiled trainer is a thrown error with a clear message, and changes nothing.
@Suite("Compiled training errors")
struct CompiledTrainingErrorTests {
    static func makeTrainer() throws -> (MLP, CompiledTrainer) {
        let model = MLP(inputs: 2, layers: [3, 1], seed: 5)
        return (model, try CompiledTrainer(model: model, optimizer: SGD(learningRate: 0.1)))
    }

    @Test("mismatched row lengths, empty batch, NaN in data, wrong widths")
    func badBatches() throws {
        let (model, trainer) = try Self.makeTrainer()
        let before = model.storage.values
        #expect(throws: MicrogradError.lengthMismatch(what: "row 1", expected: 2, given: 3)) {
            try trainer.fitBatch(rows: [[1, 2], [1, 2, 3]], targets: [1, -1])
        }
        #expect(throws: MicrogradError.emptyBatch) { try trainer.fitBatch(rows: [], targets: []) }
        #expect(throws: MicrogradError.nonFiniteInput("row 0")) { try trainer.fitBatch(rows: [[.nan, 1]], targets: [1]) }
        #expect(throws: MicrogradError.nonFiniteInput("target 0")) { try trainer.fitBatch(rows: [[0, 1]], targets: [.infinity]) }
        #expect(throws: MicrogradError.lengthMismatch(what: "targets", expected: 2, given: 1)) {
            try trainer.fitBatch(rows: [[0, 1], [1, 0]], targets: [1])
        }
        #expect(throws: MicrogradError.inputCountMismatch(expected: 2, given: 3)) {
            try trainer.fitBatch(rows: [[0, 1, 2]], targets: [1])
        }
        #expect(throws: MicrogradError.lengthMismatch(what: "targets per row", expected: 1, given: 2)) {
            try trainer.step(TrainingBatch(rows: [[0, 1]], targetRows: [[1, -1]]))
        }
        #expect(throws: MicrogradError.invalidArgument("the number of steps must not be negative, got -1")) {
            try trainer.fit(Dataset(rows: [[0, 1]], targets: [1]), steps: -1)
        }
        #expect(model.storage.values == before)
        #expect(trainer.stepCount == 0)
        #expect("\(MicrogradError.lengthMismatch(what: "row 1", expected: 2, given: 3))" == "row 1: expected length 2, given 3")
    }

    @Test("a loss that is not finite stops training before any update")
    func nonFiniteLoss() throws {
        let (model, trainer) = try Self.makeTrainer()
        let before = model.storage.values
        trainer.regularization = .infinity
        #expect(throws: MicrogradError.nonFiniteInput("the loss at step 0 (inf)")) {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
        }
        #expect(model.storage.values == before)
        trainer.regularization = 0
        trainer.optimizer = SGD(learningRate: .nan)
        #expect(throws: MicrogradError.nonFiniteInput("learning rate at step 0")) {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
        }
        #expect(model.storage.values == before)
    }

    @Test("Float32 is refused with a clear message")
    func float32() throws {
        let model = MLP(inputs: 2, layers: [1])
        #expect(throws: MicrogradError.invalidArgument("compiled training computes in Float64 only, not float32")) {
            try CompiledTrainer(model: model, optimizer: SGD(learningRate: 1), options: JITOptions(precision: .float32))
        }
    }

    @Test("the IR is loops: its size does not grow with the layer widths")
    func loopsNotUnrolled() throws {
        func irLines(_ widths: [Int]) throws -> Int {
            let model = MLP(inputs: widths[0], layers: Array(widths.dropFirst()))
            return try CompiledTrainer(model: model, optimizer: SGD(learningRate: 1)).ir(optimized: false)
                .split(separator: "\n").count
        }
        // Widths with the same remainders modulo every tile width (lanes x vectors: 32, 12 or 6,
        // all dividing 96), whose layers take the same gradient orientation, give the same IR;
        // any widths stay within a small multiple of it.
        let small = try irLines([3, 8, 1]), wide = try irLines([300, 80, 1])
        #expect(try irLines([3, 968, 1]) == small)
        #expect(try irLines([1260, 1040, 1]) == wide)
        #expect(wide <= 2 * small && small <= 2 * wide)
        let ir = try CompiledTrainer(model: MLP(inputs: 2, layers: [4, 1]), optimizer: SGD(learningRate: 1)).ir(optimized: false)
        #expect(ir.contains("define void @train_step("))
        #expect(ir.contains("bwd.body"))
    }
}
