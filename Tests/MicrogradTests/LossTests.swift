import Foundation
import Micrograd
import Testing

@Suite("Losses and regularisation")
struct LossTests {
    @Test("hinge: mean(relu(1 - y·score)), exactly")
    func hinge() throws {
        let scores = [Value(0.3), Value(-2.0), Value(1.5), Value(-0.25)]
        let targets: [Double] = [1, -1, -1, -1]
        let loss = try Loss.hinge(scores: scores, targets: targets)
        let terms = [0.7, 0.0, 2.5, 0.75]
        #expect(loss.data == (((terms[0] + terms[1]) + terms[2]) + terms[3]) * (1.0 / 4))
        loss.backward()
        // d/d score = -y/n where the margin is active, else 0.
        #expect(scores.map(\.grad) == [-0.25, 0, 0.25, 0.25])
    }

    @Test("mean squared error and its gradient 2(p - t)/n")
    func meanSquaredError() throws {
        let predictions = [Value(0.5), Value(-1.0), Value(2.0)]
        let loss = try Loss.meanSquaredError(predictions: predictions, targets: [1, -1, 0])
        #expect(abs(loss.data - (0.25 + 0 + 4) / 3) < 1e-15)
        loss.backward()
        let expected = [2 * -0.5 / 3, 0, 2 * 2.0 / 3]
        for (p, g) in zip(predictions, expected) {
            #expect(abs(p.grad - g) < 1e-15)
        }
    }

    @Test("binary cross-entropy from logits matches the textbook form and its gradient σ(z) - t", arguments: [-3.0, -0.2, 0.0, 0.7, 4.0])
    func binaryCrossEntropy(z: Double) throws {
        for t in [0.0, 1.0, 0.3] {
            let logit = Value(z)
            let loss = try Loss.binaryCrossEntropy(logits: [logit], targets: [t])
            let p = 1 / (1 + Foundation.exp(-z))
            let textbook = -(t * Foundation.log(p) + (1 - t) * Foundation.log(1 - p))
            #expect(abs(loss.data - textbook) < 1e-14, "z \(z), t \(t)")
            loss.backward()
            #expect(abs(logit.grad - (p - t)) < 1e-14, "z \(z), t \(t)")
        }
    }

    @Test("binary cross-entropy stays finite for logits of ±1000 (the textbook form gives inf or NaN)")
    func binaryCrossEntropyExtremes() throws {
        let big = Value(1000), small = Value(-1000)
        let loss = try Loss.binaryCrossEntropy(logits: [big, small], targets: [0, 1])
        // Each term is softplus(1000) - 0 = 1000 and softplus(-1000) + 1000 = 1000; mean 1000.
        #expect(loss.data == 1000)
        loss.backward()
        #expect(big.grad == 0.5 && small.grad == -0.5)
        let right = try Loss.binaryCrossEntropy(logits: [Value(1000)], targets: [1])
        #expect(right.data == 0)
    }

    @Test("L2 regularisation: alpha · Σ p², gradient 2·alpha·p")
    func l2() {
        let parameters = [Value(0.5), Value(-2), Value(3)]
        let reg = Loss.l2(parameters, alpha: 1e-4)
        #expect(reg.data == ((0.25 + 4) + 9) * 1e-4)
        reg.backward()
        #expect(parameters.map(\.grad) == [2e-4 * 0.5, 2e-4 * -2, 2e-4 * 3])
    }

    @Test("bad input throws: mismatched lengths, empty, non-finite targets")
    func badInput() {
        #expect(throws: MicrogradError.lengthMismatch(what: "targets", expected: 2, given: 1)) {
            try Loss.hinge(scores: [Value(1), Value(2)], targets: [1])
        }
        #expect(throws: MicrogradError.emptyBatch) { try Loss.meanSquaredError(predictions: [], targets: []) }
        #expect(throws: MicrogradError.nonFiniteInput("target 0")) {
            try Loss.binaryCrossEntropy(logits: [Value(1)], targets: [.nan])
        }
    }
}
