import Foundation
import JIT
import Micrograd
import Testing

/// The phases of the compiled step split over threads (the rows, the gradient tiles and the
/// parameter update, each in work items any thread may take): 1, 2 and
/// 3 threads give the same bits for every optimiser, with frozen parameters and with Adam's
/// per-parameter update counts. (One thread runs `@train_step`, which the other suites check
/// against the interpreter bit for bit.)
@Suite("Compiled training: phases split over threads")
struct CompiledTrainingSplitTests {
    /// 300 rows of 200 features and their class labels.
    static func data() -> (rows: [[Double]], labels: [Double]) {
        var random = RandomSource(seed: 21)
        let rows = (0..<300).map { _ in (0..<200).map { _ in random.nextUniform(-1, 1) } }
        return (rows, (0..<300).map { Double($0 % 10) })
    }

    /// The step's results after `steps` steps with `threads` threads: every loss, then the
    /// parameters, the gradient and the optimiser's state, as bit patterns.
    ///
    /// MLP(200,[160,20,10]) has 35,590 parameters, above the 2^15 from which the update (35
    /// items) is split too; parameters 3 and 33,000 are frozen,
    /// and with `unfreezeAt` they learn again from that step on (Adam's update counts then
    /// differ between parameters).
    static func run(
        _ optimizer: any Optimizer, threads: Int, steps: Int = 3, unfreezeAt: Int? = nil
    ) throws -> [UInt64] {
        let (rows, labels) = data()
        let model = MLP(inputs: 200, layers: [160, 20, 10], activations: [.relu, .tanh, .linear], seed: 9)
        let frozen = [3, 33000]
        for index in frozen { model.parameters[index].isLearnable = false }
        let trainer = try CompiledTrainer(model: model, objective: .softmaxCrossEntropy, regularization: 1e-4,
                                          optimizer: optimizer)
        trainer.threads = threads
        let batch = try TrainingBatch(rows: rows, targets: labels)
        let initial = frozen.map { model.storage.values[$0] }
        var bits: [UInt64] = []
        for step in 0..<steps {
            if step == unfreezeAt {
                for index in frozen { model.parameters[index].isLearnable = true }
            }
            bits.append(try trainer.step(batch).loss.bitPattern)
        }
        if unfreezeAt == nil {
            #expect(frozen.map { model.storage.values[$0] } == initial, "frozen parameters moved on \(threads) threads")
        }
        bits += model.storage.values.map(\.bitPattern) + trainer.gradient.map(\.bitPattern)
        for key in trainer.optimizerState.keys.sorted() {
            bits += trainer.optimizerState[key, default: []].map(\.bitPattern)
        }
        return bits
    }

    static let optimizers: [(String, any Optimizer)] = [
        ("sgd", SGD(schedule: .linearDecay(initial: 0.3, decay: 0.5, steps: 3))),
        ("momentum", MomentumSGD(learningRate: 0.1, momentum: 0.9)),
        ("nesterov+wd", MomentumSGD(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-2)),
        ("adam wd", Adam(learningRate: 0.01, beta1: 0.8, weightDecay: 1e-2)),
        ("adamw", AdamW(learningRate: 0.01)),
    ]

    @Test("every optimiser: 1, 2 and 3 threads give the same bits, frozen parameters kept")
    func everyOptimizer() throws {
        for (name, optimizer) in Self.optimizers {
            let single = try Self.run(optimizer, threads: 1)
            for threads in [2, 3] {
                #expect(try Self.run(optimizer, threads: threads) == single, "\(name) on \(threads) threads")
            }
        }
    }

    @Test("Adam with per-parameter update counts (parameters unfrozen late): the same bits on 1, 2 and 3 threads")
    func adamOwnCounts() throws {
        let single = try Self.run(Adam(learningRate: 0.01), threads: 1, steps: 4, unfreezeAt: 2)
        for threads in [2, 3] {
            #expect(try Self.run(Adam(learningRate: 0.01), threads: threads, steps: 4, unfreezeAt: 2) == single)
        }
    }
}
