import Foundation
import Micrograd
import Testing

/// `backward(detectingAnomalies:)` names the node where a NaN or infinity is born, and only there.
@Suite("Anomaly detection")
struct AnomalyTests {
    /// The anomaly thrown by `backward(detectingAnomalies: true)`, or nil when none is.
    static func anomaly(of root: Value) -> NumericAnomaly? {
        do {
            try root.backward(detectingAnomalies: true)
            return nil
        } catch MicrogradError.numericAnomaly(let anomaly) {
            return anomaly
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("a NaN born in log(-1) in the forward pass, before any leaf gradient changes")
    func nanFromLog() throws {
        let x = Value(1, label: "x")
        let shifted = x - 2
        shifted.label = "shifted"
        var z = shifted.log()
        z.label = "z"
        z = z * 3 + x
        x.grad = 7
        let found = try #require(Self.anomaly(of: z))
        #expect(found.pass == .forward)
        #expect(found.label == "z")
        #expect(found.symbol == "log")
        #expect(found.operands == [-1])
        #expect(found.value.isNaN)
        #expect(x.grad == 7)
        let message = "\(MicrogradError.numericAnomaly(found))"
        // (log(-1) prints as `nan` or `-nan` depending on the C library.)
        let expected = "NaN or infinity born in the forward pass: node 'z' (log) of operands [-1.0] gave \(found.value)"
        #expect(message == expected)
    }

    @Test("an infinity born in x / 0 in the forward pass, for a Value divisor and a constant one")
    func infinityFromDivision() throws {
        let x = Value(2), zero = Value(0)
        let byValue = try #require(Self.anomaly(of: (x / zero).tanh()))
        #expect(byValue.pass == .forward && byValue.symbol == "/" && byValue.operands == [2, 0])
        #expect(byValue.value == .infinity)
        let byConstant = try #require(Self.anomaly(of: (x / 0.0) * 2))
        #expect(byConstant.symbol == Op.divideByConstant(0).symbol && byConstant.operands == [2])
    }

    @Test("a gradient born infinite: d/dx x ** 0.5 at 0, named with its upstream gradient")
    func infiniteGradient() throws {
        let x = Value(0, label: "x")
        var root = x.pow(0.5)
        root.label = "root"
        root = root * 3
        let found = try #require(Self.anomaly(of: root))
        #expect(found.pass == .backward)
        #expect(found.label == "root" && found.symbol == "**0.5")
        #expect(found.operands == [0] && found.value == 0)
        #expect(found.upstreamGradient == 3)
        #expect(found.operandIndex == 0 && found.operandGradient == .infinity)
        // The plain backward() gives the same infinite gradient, silently.
        let y = Value(0)
        (y.pow(0.5) * 3).backward()
        #expect(y.grad == .infinity)
    }

    @Test("no alarm for a NaN that enters as data: the gradients equal backward()'s")
    func nanInput() throws {
        let input = Value(.nan), w = Value(2)
        let loss = (input * w + 1).tanh() + w * w
        #expect(Self.anomaly(of: loss) == nil)
        let checked = w.grad
        w.grad = 0
        input.grad = 0
        loss.backward()
        #expect(checked.isNaN && w.grad.isNaN)
        // A NaN born elsewhere in the same graph is still found.
        let mixed = loss + (w - 3).log()
        let found = try #require(Self.anomaly(of: mixed))
        #expect(found.symbol == "log" && found.operands == [-1])
    }

    @Test("finite graphs: no error and gradients bit-identical to backward()", arguments: [1, 2, 3] as [UInt64])
    func finiteGraphs(seed: UInt64) throws {
        let (leaves, nodes) = TopologyTests.randomGraph(seed: seed, count: 200)
        let root = nodes.last!
        try root.backward(detectingAnomalies: true)
        let checked = nodes.map(\.grad)
        leaves.forEach { $0.grad = 0 }
        root.backward()
        #expect(nodes.map(\.grad) == checked)
        leaves.forEach { $0.grad = 0 }
        try root.backward(detectingAnomalies: false)
        #expect(nodes.map(\.grad) == checked)
    }

    @Test("the trainer's option names the node; without it the trainer reports only the loss")
    func trainerOption() throws {
        let model = MLP(inputs: 2, layers: [3, 1], seed: 3)
        let trainer = Trainer(model: model, regularization: .infinity, optimizer: SGD(learningRate: 0.1))
        #expect(throws: MicrogradError.nonFiniteInput("the loss at step 0 (inf)")) {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
        }
        let before = model.parameters.map(\.data)
        trainer.detectsAnomalies = true
        do {
            try trainer.fitBatch(rows: [[0.5, 1]], targets: [1])
            Issue.record("no error")
        } catch MicrogradError.numericAnomaly(let anomaly) {
            #expect(anomaly.pass == .forward && anomaly.symbol == Op.multiplyByConstant(.infinity).symbol)
            #expect(anomaly.operands.count == 1 && anomaly.operands[0] > 0 && anomaly.operands[0].isFinite)
        }
        #expect(model.parameters.map(\.data) == before)
        #expect(trainer.stepCount == 0)
        // A finite step with the option updates exactly as without it.
        let twin = MLP(inputs: 2, layers: [3, 1], seed: 3)
        let plain = Trainer(model: twin, regularization: 1e-3, optimizer: SGD(learningRate: 0.1))
        trainer.regularization = 1e-3
        let checkedReport = try trainer.fitBatch(rows: [[0.5, 1], [-1, 2]], targets: [1, -1])
        let plainReport = try plain.fitBatch(rows: [[0.5, 1], [-1, 2]], targets: [1, -1])
        #expect(checkedReport.loss == plainReport.loss)
        #expect(model.parameters.map(\.data) == twin.parameters.map(\.data))
    }
}
