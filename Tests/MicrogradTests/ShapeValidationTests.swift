import Micrograd
import Testing

/// The throwing initialisers of `MLP`, `Layer` and `Neuron` for shapes from outside: every bad
/// shape is `MicrogradError.invalidShape` with a message naming the number, and good shapes
/// build exactly what the non-throwing initialisers build.
@Suite("Shape validation: throwing initialisers for MLP, Layer and Neuron")
struct ShapeValidationTests {
    static func shapeError(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("accepted a bad shape")
        } catch let MicrogradError.invalidShape(message) {
            return message
        } catch {
            Issue.record("wrong error: \(error)")
        }
        return nil
    }

    @Test("bad MLP shapes throw invalidShape naming the number", arguments: [
        (0, [1], nil, "the number of inputs must be at least 1, got 0"),
        (-3, [1], nil, "the number of inputs must be at least 1, got -3"),
        (2, [], nil, "an MLP needs at least one layer"),
        (2, [4, 0, 1], nil, "layer 1 must have at least 1 neuron, got 0"),
        (2, [4, -2], nil, "layer 1 must have at least 1 neuron, got -2"),
        (2, [4, 1], [Activation.relu], "one activation per layer: 2 layers, 1 activations"),
        (2, [4, 1], [Activation.relu, .relu, .relu], "one activation per layer: 2 layers, 3 activations"),
        (Int.max, [1], nil, "more than 2147483647 parameters (at layer 0, 1 neurons of 9223372036854775807 inputs)"),
        (1, [Int.max], nil, "more than 2147483647 parameters (at layer 0"),
        (2, [Int.max / 2, 3], nil, "more than 2147483647 parameters (at layer 0"),
        (2, [46341, 46341], nil, "more than 2147483647 parameters (at layer 1"),
        (1, [Int.max / 3, 1], nil, "more than 2147483647 parameters"),
    ] as [(Int, [Int], [Activation]?, String)])
    func badMLPShapes(inputs: Int, layers: [Int], activations: [Activation]?, expected: String) {
        let message = Self.shapeError {
            _ = try MLP(validatingInputs: inputs, layers: layers, activations: activations)
        }
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "")")
        // The count check alone rejects every shape here except the activation mismatches.
        let countRejected = (try? MLP.parameterCount(inputs: inputs, layers: layers)) == nil
        #expect(countRejected == !expected.hasPrefix("one activation per layer"))
    }

    @Test("the error reads as an invalid shape")
    func description() {
        #expect(MicrogradError.invalidShape("layer 1 must have at least 1 neuron, got 0").description
            == "invalid shape: layer 1 must have at least 1 neuron, got 0")
    }

    @Test("good shapes: the checked count is the model's, the model is the unchecked one's", arguments: [
        (2, [16, 16, 1]), (1, [1]), (3, [5]), (7, [1, 1, 1, 1]),
    ])
    func goodShapes(inputs: Int, layers: [Int]) throws {
        let checked = try MLP(validatingInputs: inputs, layers: layers, seed: 42)
        let plain = MLP(inputs: inputs, layers: layers, seed: 42)
        #expect(try MLP.parameterCount(inputs: inputs, layers: layers) == plain.parameters.count)
        #expect(checked.storage.values == plain.storage.values)
        #expect(checked.layers.map(\.activation) == plain.layers.map(\.activation))
        #expect(checked.description == plain.description)
    }

    @Test("the largest allowed count is accepted by the check; one more is not")
    func boundary() throws {
        // 1 input, one layer of n neurons: 2n parameters. 2n = 2^31 - 2 fits, 2n + 2 does not.
        let largest = MLP.maximumParameterCount / 2
        #expect(try MLP.parameterCount(inputs: 1, layers: [largest]) == 2 * largest)
        #expect(throws: MicrogradError.self) { try MLP.parameterCount(inputs: 1, layers: [largest + 1]) }
    }

    @Test("bad Layer and Neuron shapes throw; good ones build")
    func layersAndNeurons() throws {
        #expect(Self.shapeError { _ = try Layer(validatingInputs: 0, outputs: 3) }?
            .hasPrefix("the number of inputs must be at least 1, got 0") == true)
        #expect(Self.shapeError { _ = try Layer(validatingInputs: 3, outputs: -1) }?
            .hasPrefix("layer 0 must have at least 1 neuron, got -1") == true)
        #expect(Self.shapeError { _ = try Layer(validatingInputs: Int.max, outputs: 2) }?
            .hasPrefix("more than 2147483647 parameters") == true)
        #expect(Self.shapeError { _ = try Neuron(validatingInputs: -1) }?
            .hasPrefix("the number of inputs must be at least 1, got -1") == true)
        #expect(Self.shapeError { _ = try Neuron(validatingInputs: Int.max) }?
            .hasPrefix("more than 2147483647 parameters") == true)
        let layer = try Layer(validatingInputs: 3, outputs: 2, activation: .tanh, seed: 5)
        let plainLayer = Layer(inputs: 3, outputs: 2, activation: .tanh, seed: 5)
        #expect(layer.parameters.map(\.data) == plainLayer.parameters.map(\.data))
        let neuron = try Neuron(validatingInputs: 4, seed: 9)
        #expect(neuron.parameters.map(\.data) == Neuron(inputs: 4, seed: 9).parameters.map(\.data))
    }

    @Test("the fixture's model is built through the checked path and matches its counts")
    func fixtureModel() throws {
        let fixture = try MoonsFixture.bundled()
        let model = try fixture.makeModel()
        #expect(model.parameters.count == fixture.parameterCount)
        #expect(model.storage.values == fixture.initialParameters)
    }
}
