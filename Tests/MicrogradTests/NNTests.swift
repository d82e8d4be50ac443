import Foundation
import Micrograd
import Testing

@Suite("NN: neurons, layers and MLPs")
struct NNTests {
    @Test("shapes and parameter counts: MLP(2, [16, 16, 1]) has 337")
    func shapes() throws {
        let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1)
        #expect(model.parameters.count == 337)
        #expect(model.parameterCount == 337)
        #expect(model.storage.count == 337)
        #expect(model.layers.map(\.outputCount) == [16, 16, 1])
        #expect(model.layers.map(\.inputCount) == [2, 16, 16])
        #expect(model.outputCount == 1)
        #expect(try model([0.5, -1]).count == 1)
        #expect(MLP(inputs: 3, layers: [4, 4, 1]).parameterCount == 4 * 4 + 4 * 5 + 5)
        #expect(Layer(inputs: 3, outputs: 5).parameters.count == 20)
        #expect(Neuron(inputs: 7).parameters.count == 8)
    }

    @Test("parameters are in micrograd's order and bound to the storage slot of the same index")
    func parameterOrder() throws {
        let model = MLP(inputs: 2, layers: [3, 1], seed: 5)
        var expected: [Value] = []
        for layer in model.layers {
            for neuron in layer.neurons {
                expected.append(contentsOf: neuron.weights)
                expected.append(neuron.bias)
            }
        }
        #expect(model.parameters.map(ObjectIdentifier.init) == expected.map(ObjectIdentifier.init))
        for (index, parameter) in model.parameters.enumerated() {
            #expect(parameter.data == model.storage.baseAddress[index])
            parameter.data = Double(index) + 0.25
            #expect(model.storage.baseAddress[index] == Double(index) + 0.25)
        }
        model.storage.baseAddress[4] = -9
        #expect(model.layers[0].neurons[1].weights[1].data == -9)
        let values = (0..<model.parameterCount).map { Double($0) / 10 }
        try model.loadParameters(values)
        #expect(model.parameters.map(\.data) == values)
        #expect(throws: MicrogradError.lengthMismatch(what: "parameters", expected: 13, given: 2)) {
            try model.loadParameters([1, 2])
        }
    }

    @Test("seeded initialisation: deterministic, weights in [-1, 1], biases 0")
    func seededInit() {
        let a = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
        let b = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
        let c = MLP(inputs: 2, layers: [16, 16, 1], seed: 1338)
        #expect(a.storage.values == b.storage.values)
        #expect(a.storage.values != c.storage.values)
        let neurons = a.layers.flatMap(\.neurons)
        #expect(neurons.allSatisfy { $0.bias.data == 0 })
        let weights = neurons.flatMap(\.weights).map(\.data)
        #expect(weights.allSatisfy { $0 >= -1 && $0 <= 1 })
        #expect(Set(weights).count == weights.count)
        #expect(weights.contains { $0 < -0.5 } && weights.contains { $0 > 0.5 })
    }

    @Test("default activations: ReLU hidden layers, linear output; per-layer choice is kept")
    func activations() throws {
        let model = MLP(inputs: 2, layers: [4, 4, 1])
        #expect(model.layers.map(\.activation) == [.relu, .relu, .linear])
        let custom = MLP(inputs: 2, layers: [3, 2], activations: [.tanh, .sigmoid], seed: 3)
        #expect(custom.layers.map(\.activation) == [.tanh, .sigmoid])
        #expect(custom.layers[0].neurons.allSatisfy { $0.activation == .tanh })
        let outputs = try custom([0.3, -0.8])
        #expect(outputs.allSatisfy { $0.op == .sigmoid && $0.data > 0 && $0.data < 1 })
        let hidden = try custom.layers[0]([0.3, -0.8])
        #expect(hidden.allSatisfy { $0.op == .tanh })
        let linearOut = try model([0.3, -0.8])[0]
        #expect(linearOut.op == .weightedSum)
    }

    @Test("a neuron computes activation(b + Σ wᵢxᵢ)")
    func neuronValue() throws {
        let neuron = Neuron(inputs: 2, activation: .tanh, seed: 9)
        neuron.weights[0].data = 0.5
        neuron.weights[1].data = -2
        neuron.bias.data = 0.25
        let out = try neuron([1.5, 0.125])
        #expect(out.data == Foundation.tanh(0.25 + 0.5 * 1.5 + -2 * 0.125))
    }

    @Test("zeroGrad clears every parameter's gradient")
    func zeroGrad() throws {
        let model = MLP(inputs: 2, layers: [4, 1], activations: [.tanh, .linear], seed: 2)
        try model([0.5, 0.5])[0].backward()
        #expect(model.parameters.contains { $0.grad != 0 })
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { $0.grad == 0 })
    }

    @Test("a wrong input length throws an error naming the expected and given lengths")
    func wrongInputLength() {
        let model = MLP(inputs: 2, layers: [3, 1])
        #expect(throws: MicrogradError.inputCountMismatch(expected: 2, given: 3)) { try model([1, 2, 3]) }
        #expect(throws: MicrogradError.inputCountMismatch(expected: 2, given: 1)) { try model([Value(1)]) }
        do {
            _ = try model([1, 2, 3])
        } catch {
            let message = String(describing: error)
            #expect(message.contains("expected 2") && message.contains("given 3"), "\(message)")
        }
        #expect(throws: MicrogradError.self) { try Neuron(inputs: 2)([1]) }
        #expect(throws: MicrogradError.self) { try Layer(inputs: 2, outputs: 2)([1, 2, 3]) }
    }

    @Test("model([Value]) and model([Double]) agree, and both agree with batched evaluation")
    func valueAndDoubleInputs() throws {
        let model = MLP(inputs: 3, layers: [5, 4, 2], seed: 11)
        let rows: [[Double]] = [[0.1, -0.4, 2.0], [-1.5, 0.0, 0.3], [3, 2, 1]]
        let batched = try Evaluation.outputs(of: model, rows: rows)
        for (row, expected) in zip(rows, batched) {
            let fromDoubles = try model(row).map(\.data)
            let fromValues = try model(row.map { Value($0) }).map(\.data)
            #expect(fromDoubles == fromValues)
            #expect(fromDoubles == expected)
        }
        #expect(throws: MicrogradError.inputCountMismatch(expected: 3, given: 2)) {
            try Evaluation.outputs(of: model, rows: [[1, 2]])
        }
    }
}
