import Micrograd

/// The input of W3, as in w3_single_inference.py.
let w3Input = [0.5, -0.25]

/// MLP(2,[16,16,1]) with the fixture's initial weights (micrograd's, random.seed(1337)).
func fixtureModel(_ fixture: MoonsFixture) throws -> MLP {
    let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
    try model.loadParameters(fixture.initialParameters)
    return model
}

/// The model's output computed with plain `Double` loops in micrograd's summation order
/// (bias first, then weight·input left to right): the reference every W3 variant must match.
func referenceOutput(of model: MLP, input: [Double]) -> Double {
    var activations = input
    for layer in model.layers {
        activations = layer.neurons.map { neuron in
            var sum = neuron.bias.data
            for (weight, x) in zip(neuron.weights, activations) { sum += weight.data * x }
            return layer.activation.apply(sum)
        }
    }
    return activations[0]
}

extension BenchWorkload {
    /// W3: one sample through MLP(2,[16,16,1]) interpreted: build the graph, read the output.
    static let w3Interpreted = BenchWorkload(
        key: "w3", summary: "one sample through MLP(2,[16,16,1]), interpreter (graph build)", defaultRepeats: 21
    ) { context in
        let model = try fixtureModel(try context.fixture())
        let x0 = benchOpaque(w3Input[0]), x1 = benchOpaque(w3Input[1])
        let expected = referenceOutput(of: model, input: w3Input)
        let got = try model([Value(x0), Value(x1)])[0].data
        guard abs(got - expected) < 1e-12 else {
            throw MicrogradError.invalidArgument("W3 check failed: \(got) vs reference \(expected)")
        }
        let body: (Int) throws -> Double = { n in
            var sum = 0.0
            for _ in 0..<n { sum += try model([Value(x0), Value(x1)])[0].data }
            return sum
        }
        let (stats, inner) = try context.timer.measure(repeats: context.repeats(default: 21), body)
        context.record("W3", "interpreted model([Value, Value]) (graph build)", stats, inner: inner, extra: ["output": got])
    }
}
