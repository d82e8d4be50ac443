import Foundation
import Micrograd
import Testing
import TestSupport

/// Softmax cross-entropy, softmax and the multiclass objective, against formulas computed here
/// with Foundation (PyTorch's: loss = logsumexp(z) - z_label, gradient softmax(z) - onehot).
/// Tolerances: 1e-15 absolute for values of order 1, finite differences 1e-6 relative.
@Suite("Multiclass: softmax cross-entropy")
struct MulticlassTests {
    @Test("logits [1, 2, 3]: loss log(e + e² + e³) - z_label, gradient softmax - onehot")
    func handComputed() throws {
        let direct = Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))
        let total = Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)
        let probabilities = [1.0, 2.0, 3.0].map { Foundation.exp($0) / total }
        for label in 0..<3 {
            let logits = [Value(1), Value(2), Value(3)]
            let loss = try Loss.softmaxCrossEntropy(logits: logits, label: label)
            #expect(abs(loss.data - (direct - Double(label + 1))) < 1e-15, "label \(label): \(loss.data)")
            loss.backward()
            for (index, logit) in logits.enumerated() {
                let expected = probabilities[index] - (index == label ? 1 : 0)
                #expect(abs(logit.grad - expected) < 1e-15, "label \(label), logit \(index): \(logit.grad)")
            }
        }
    }

    @Test("finite values and gradients at logits of ±1000")
    func extremes() throws {
        let logits = [Value(1000), Value(-1000), Value(999)]
        let loss = try Loss.softmaxCrossEntropy(logits: logits, label: 1)
        // logsumexp = 1000 + log(1 + e^-1 + e^-2000); minus z_1 = -1000.
        let expected = 2000 + Foundation.log1p(Foundation.exp(-1.0))
        #expect(loss.data.isFinite)
        #expect(abs(loss.data - expected) <= 1e-12 * expected)
        loss.backward()
        let p0 = 1 / (1 + Foundation.exp(-1.0)), p2 = Foundation.exp(-1.0) / (1 + Foundation.exp(-1.0))
        #expect(abs(logits[0].grad - p0) < 1e-15)
        #expect(logits[1].grad == -1)
        #expect(abs(logits[2].grad - p2) < 1e-15)
        let right = [Value(-1000), Value(1000)]
        let small = try Loss.softmaxCrossEntropy(logits: right, label: 1)
        #expect(small.data == 0)
        small.backward()
        #expect(right.map(\.grad) == [0, 0])
    }

    @Test("finite differences agree with the gradient", arguments: [0, 1, 2, 3])
    func finiteDifferences(label: Int) throws {
        let logits = [Value(0.3), Value(-1.2), Value(2.1), Value(0.05)]
        let loss = try Loss.softmaxCrossEntropy(logits: logits, label: label)
        #expect(GradCheck.mismatches(loss, leaves: logits).isEmpty)
        let probabilities = Loss.softmax(logits)
        let weighted = probabilities[0] * 2 + probabilities[2] * -3 + probabilities[3]
        #expect(GradCheck.mismatches(weighted, leaves: logits).isEmpty)
    }

    @Test("softmax: on values and on numbers, sums to 1, e^z / Σ e^z, stable at ±1000")
    func softmax() {
        let z = [0.5, -1.0, 2.0]
        let total = z.map { Foundation.exp($0) }.reduce(0, +)
        let numbers = Loss.softmax(z)
        let values = Loss.softmax(z.map { Value($0) }).map(\.data)
        #expect(numbers == values)
        for (p, logit) in zip(numbers, z) {
            #expect(abs(p - Foundation.exp(logit) / total) < 1e-15)
        }
        #expect(Loss.softmax([1000, -1000]) == [1, 0])
        #expect(Loss.softmax([Double]()).isEmpty)
        let withNaN: [Double] = [1, .nan]
        let probabilities = Loss.softmax(withNaN)
        #expect(probabilities.count == 2 && probabilities.allSatisfy(\.isNaN))
    }

    @Test("batch mean, label checks and errors")
    func batchAndErrors() throws {
        let rows = [[Value(1), Value(2)], [Value(0), Value(-1)]]
        let loss = try Loss.softmaxCrossEntropy(logits: rows, labels: [1, 0])
        let first = Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0)) - 2
        let second = Foundation.log(1 + Foundation.exp(-1.0))
        #expect(abs(loss.data - (first + second) / 2) < 1e-15)
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: rows, labels: [2, 0]) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: rows, labels: [0.5, 0]) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: rows, labels: [-1, 0]) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: rows, labels: [.nan, 0]) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: rows, labels: [0]) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: [], label: 0) }
        #expect(throws: MicrogradError.self) { try Loss.softmaxCrossEntropy(logits: [Value(1)], label: 1) }
    }

    @Test("objective: argmax correctness, first maximum on ties, NaN never correct")
    func objective() {
        let objective = Objective.softmaxCrossEntropy
        #expect(objective.isCorrect(outputs: [0.1, 3, -2], target: 1))
        #expect(!objective.isCorrect(outputs: [0.1, 3, -2], target: 0))
        #expect(objective.isCorrect(outputs: [2, 2, 1], target: 0))
        #expect(!objective.isCorrect(outputs: [2, 2, 1], target: 1))
        #expect(!objective.isCorrect(outputs: [.nan, 2, 1], target: 1))
        #expect(Loss.predictedClass([]) == nil)
        #expect(objective.accuracy(outputs: [[1, 0], [0, 1], [5, 6]], targets: [0, 0, 1]) == 2.0 / 3)
        #expect(Objective.hinge.isCorrect(outputs: [0.5], target: 1))
        #expect(!Objective.hinge.isCorrect(outputs: [0.5, 1], target: 1))
    }

    @Test("a trainer fits a three-class problem with softmax cross-entropy (Adam)")
    func trainer() throws {
        let rows: [[Double]] = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, -1], [-0.9, -1.1]]
        let dataset = try Dataset(rows: rows, targets: [0, 0, 1, 1, 2, 2])
        let model = MLP(inputs: 2, layers: [8, 3], activations: [.tanh, .linear], seed: 3)
        let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.05))
        // The first report's loss is the objective of the untrained model, as the loss computes it.
        let outputs = try rows.map { try model($0) }
        let expected = try Loss.softmaxCrossEntropy(logits: outputs, labels: dataset.targets).data
        let reports = try trainer.fit(dataset, steps: 150)
        #expect(reports[0].loss == expected)
        #expect(reports.last!.loss < reports[0].loss / 10)
        #expect(try Evaluation.accuracy(of: model, on: dataset, objective: .softmaxCrossEntropy) == 1)
        #expect(throws: MicrogradError.self) {
            try trainer.fitBatch(rows: [[1, 0]], targets: [3])
        }
    }
}
