import JIT
import Micrograd
import Testing

/// The compiled trainer compiles plain SGD and the hinge, MSE and binary cross-entropy
/// objectives only; anything else throws `JITError.unsupportedOperation` instead of running
/// a different algorithm.
@Suite("Compiled trainer: unsupported optimisers and objectives")
struct CompiledTrainerSupportTests {
    static func isUnsupported(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch let error as JITError {
            if case .unsupportedOperation = error { return true }
            return false
        } catch {
            return false
        }
    }

    @Test("optimisers other than plain SGD throw unsupportedOperation")
    func optimizers() throws {
        let others: [any Optimizer] = [
            MomentumSGD(learningRate: 0.1, momentum: 0.9), MomentumSGD(learningRate: 0.1), Adam(), AdamW(),
        ]
        for optimizer in others {
            let model = MLP(inputs: 2, layers: [3, 1], seed: 1)
            let before = model.parameters.map(\.data)
            let trainer = Trainer(model: model, objective: .hinge, optimizer: optimizer)
            #expect(Self.isUnsupported { _ = try jit(trainer) }, "\(type(of: optimizer))")
            #expect(model.parameters.map(\.data) == before)
        }
        let plain = Trainer(model: MLP(inputs: 2, layers: [3, 1], seed: 1), optimizer: SGD(learningRate: 0.1))
        #expect(try jit(plain).stepCount == 0)
    }

    @Test("the softmax cross-entropy objective throws unsupportedOperation")
    func softmaxObjective() throws {
        let model = MLP(inputs: 2, layers: [3, 3], seed: 1)
        let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1))
        #expect(Self.isUnsupported { _ = try jit(trainer) })
        #expect(Self.isUnsupported {
            _ = try CompiledTrainer(model: model, objective: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1))
        })
    }
}
