@testable import JIT
import Micrograd
import Testing

/// The hinge step's `grads` phase skips rows past the margin (`TrainingEmitter+LiveRows.swift`):
/// still the interpreter's bits, and a skipped row's `0 · inf` still makes the NaN it makes there.
@Suite("Compiled training: rows past the hinge margin")
struct CompiledTrainingDeadRowsTests {
    /// The number of live rows the last step's `loss` phase listed (`live[0]` in the work buffer).
    private static func liveCount(_ trainer: CompiledTrainer, rows: Int) -> Int {
        let layout = trainer.layout
        let live = rows * (2 * layout.rowStride + 2 * layout.termsPerRow)
        return Int(trainer.workspace.work[live])
    }

    @Test("steps with rows past the margin equal the interpreter's, bit for bit, and skip those rows")
    func skippedRowsKeepBits() throws {
        var random = SplitMix(seed: 21)
        let rows = (0..<60).map { _ in [random.uniform(-2, 2), random.uniform(-2, 2)] }
        let targets = rows.map { $0[0] + 0.5 * $0[1] > 0 ? 1.0 : -1.0 }
        let compiledModel = MLP(inputs: 2, layers: [16, 16, 1], seed: 4)
        let interpretedModel = MLP(inputs: 2, layers: [16, 16, 1], seed: 4)
        let optimizer = SGD(learningRate: 0.2)
        let compiled = try CompiledTrainer(model: compiledModel, regularization: 1e-4, optimizer: optimizer)
        let interpreted = Trainer(model: interpretedModel, regularization: 1e-4, optimizer: optimizer)
        var fewestLive = rows.count
        for step in 0..<40 {
            try compiled.fitBatch(rows: rows, targets: targets)
            try interpreted.fitBatch(rows: rows, targets: targets)
            fewestLive = min(fewestLive, Self.liveCount(compiled, rows: rows.count))
            #expect(compiledModel.storage.values.map(\.bitPattern) == interpretedModel.storage.values.map(\.bitPattern),
                    "step \(step)")
        }
        // The skipping was exercised: at some step most rows were past the margin.
        #expect(fewestLive < rows.count / 2)
    }

    @Test("a row past the margin with an infinite activation is not skipped: its 0 * inf is NaN, as interpreted")
    func infiniteActivationKeepsNaN() throws {
        // MLP(1,[1,1,1]) relu, relu, linear; parameters per layer [w, b]. x = 10: the first
        // activation overflows to inf, the second layer's -inf is cut to 0 by relu, the score is 2:
        // target 1 is past the margin (a zero hinge term), but the second weight's gradient is
        // 0 * inf = NaN in the interpreter.
        let parameters = [1e308, 0, -1, 0, 1, 2]
        let compiledModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        let interpretedModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        try compiledModel.loadParameters(parameters)
        try interpretedModel.loadParameters(parameters)
        let compiled = try CompiledTrainer(model: compiledModel, optimizer: SGD(learningRate: 0.1))
        let interpreted = Trainer(model: interpretedModel, optimizer: SGD(learningRate: 0.1))
        let rows = [[10.0], [0.0]], targets = [1.0, 1.0]
        try compiled.fitBatch(rows: rows, targets: targets)
        try interpreted.fitBatch(rows: rows, targets: targets)
        let got = compiledModel.storage.values, want = interpretedModel.storage.values
        #expect(want[2].isNaN)
        #expect(got.map(\.isNaN) == want.map(\.isNaN))
        #expect(zip(got, want).allSatisfy { $0.isNaN || $0.bitPattern == $1.bitPattern })
        #expect(Self.liveCount(compiled, rows: rows.count) == 1)   // the second row (score 2) is skipped
    }

    @Test("an infinite weight makes every row live: a zero-loss row's -inf * 0 is NaN, as interpreted")
    func infiniteWeightKeepsNaN() throws {
        // MLP(1,[1,1,1]) relu, relu, linear; parameters per layer [w, b]. x = 1: the second
        // layer's sum is -inf * 1 = -inf, cut to 0 by relu, so every activation is finite and the
        // score 2 is past the margin; backward, the first activation's adjoint is -inf * 0 = NaN,
        // which the interpreter carries into the first layer's gradients.
        let parameters = [1, 0, -Double.infinity, 0, 1, 2]
        let compiledModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        let interpretedModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        try compiledModel.loadParameters(parameters)
        try interpretedModel.loadParameters(parameters)
        let compiled = try CompiledTrainer(model: compiledModel, optimizer: SGD(learningRate: 0.1))
        let interpreted = Trainer(model: interpretedModel, optimizer: SGD(learningRate: 0.1))
        try compiled.fitBatch(rows: [[1.0]], targets: [1])
        try interpreted.fitBatch(rows: [[1.0]], targets: [1])
        let got = compiledModel.storage.values, want = interpretedModel.storage.values
        #expect(want[0].isNaN && want[1].isNaN)
        #expect(got.map(\.isNaN) == want.map(\.isNaN))
        #expect(zip(got, want).allSatisfy { $0.isNaN || $0.bitPattern == $1.bitPattern })
        #expect(Self.liveCount(compiled, rows: 1) == 1)
    }
}
