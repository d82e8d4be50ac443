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

    /// One hinge SGD step of MLP(1,[1,1,1]) (relu, relu, linear) from `parameters`, compiled and
    /// interpreted: the parameters after it (compiled, interpreted) and the compiled step's live rows.
    private static func oneStep(from parameters: [Double], rows: [[Double]], targets: [Double]) throws
        -> (got: [Double], want: [Double], live: Int)
    {
        let compiledModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        let interpretedModel = MLP(inputs: 1, layers: [1, 1, 1], seed: 1)
        try compiledModel.loadParameters(parameters)
        try interpretedModel.loadParameters(parameters)
        let compiled = try CompiledTrainer(model: compiledModel, optimizer: SGD(learningRate: 0.1))
        try compiled.fitBatch(rows: rows, targets: targets)
        try Trainer(model: interpretedModel, optimizer: SGD(learningRate: 0.1)).fitBatch(rows: rows, targets: targets)
        return (compiledModel.storage.values, interpretedModel.storage.values, liveCount(compiled, rows: rows.count))
    }

    /// The same NaNs, and the same bits elsewhere.
    private static func sameNaNsAndBits(_ got: [Double], _ want: [Double]) -> Bool {
        got.map(\.isNaN) == want.map(\.isNaN) && zip(got, want).allSatisfy { $0.isNaN || $0.bitPattern == $1.bitPattern }
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
        let step = try Self.oneStep(from: [1e308, 0, -1, 0, 1, 2], rows: [[10.0], [0.0]], targets: [1.0, 1.0])
        #expect(step.want[2].isNaN)
        #expect(Self.sameNaNsAndBits(step.got, step.want))
        #expect(step.live == 1)   // the second row (score 2) is skipped
    }

    @Test("an infinite weight makes every row live: a zero-loss row's -inf * 0 is NaN, as interpreted")
    func infiniteWeightKeepsNaN() throws {
        // MLP(1,[1,1,1]) relu, relu, linear; parameters per layer [w, b]. x = 1: the second
        // layer's sum is -inf * 1 = -inf, cut to 0 by relu, so every activation is finite and the
        // score 2 is past the margin; backward, the first activation's adjoint is -inf * 0 = NaN,
        // which the interpreter carries into the first layer's gradients.
        let step = try Self.oneStep(from: [1, 0, -Double.infinity, 0, 1, 2], rows: [[1.0]], targets: [1])
        #expect(step.want[0].isNaN && step.want[1].isNaN)
        #expect(Self.sameNaNsAndBits(step.got, step.want))
        #expect(step.live == 1)
    }
}
