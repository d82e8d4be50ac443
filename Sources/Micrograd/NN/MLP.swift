/// A multi-layer perceptron: layers applied in turn.
///
/// ```swift
/// let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)   // ReLU, ReLU, linear
/// let score = try model([0.5, -1.0])[0]
/// ```
///
/// All parameters live in one ``ParameterStorage`` in `parameters` order (layer by layer,
/// neuron by neuron, the weights then the bias), which compiled code reads directly.
public final class MLP: Module {
    /// The number of inputs of the first layer.
    public let inputCount: Int
    /// The layers, first to last.
    public let layers: [Layer]
    /// The buffer the parameters' data live in.
    public let storage: ParameterStorage
    /// The parameters, in micrograd's order.
    public let parameters: [Value]

    /// Creates a network with the given layer widths.
    ///
    /// - Parameters:
    ///   - inputs: the number of inputs.
    ///   - layers: the number of neurons of each layer; the last is the number of outputs.
    ///   - activations: one per layer; by default ReLU on hidden layers and a linear output.
    ///   - seed: the `RandomSource` seed the weights (uniform in [-1, 1]) are drawn from, in
    ///     `parameters` order; biases start at 0.
    public init(inputs: Int, layers sizes: [Int], activations: [Activation]? = nil, seed: UInt64 = 0) {
        precondition(inputs > 0, "an MLP needs at least one input")
        precondition(!sizes.isEmpty, "an MLP needs at least one layer")
        let activations = activations ?? sizes.indices.map { $0 == sizes.count - 1 ? .linear : .relu }
        precondition(activations.count == sizes.count, "one activation per layer: \(sizes.count) layers, \(activations.count) activations")
        var widths = [inputs]
        widths.append(contentsOf: sizes)
        let count = sizes.indices.reduce(0) { $0 + sizes[$1] * (widths[$1] + 1) }
        let storage = ParameterStorage(count: count)
        var random = RandomSource(seed: seed)
        var layers: [Layer] = []
        var offset = 0
        for (index, size) in sizes.enumerated() {
            layers.append(Layer(
                inputs: widths[index], outputs: size, activation: activations[index],
                storage: storage, offset: offset, random: &random))
            offset += size * (widths[index] + 1)
        }
        self.inputCount = inputs
        self.layers = layers
        self.storage = storage
        self.parameters = layers.flatMap(\.parameters)
    }

    /// The number of outputs of the last layer.
    public var outputCount: Int { layers[layers.count - 1].outputCount }

    /// The network's outputs for `inputs`, as graph nodes (call `backward()` on a loss of them).
    public func callAsFunction(_ inputs: [Value]) throws -> [Value] {
        guard inputs.count == inputCount else {
            throw MicrogradError.inputCountMismatch(expected: inputCount, given: inputs.count)
        }
        var x = inputs
        for layer in layers {
            x = try layer(x)
        }
        return x
    }

    /// The outputs for numeric inputs (each becomes a constant leaf).
    public func callAsFunction(_ inputs: [Double]) throws -> [Value] {
        try self(inputs.map { Value($0) })
    }

    /// Copies `values` into the parameters, in `parameters` order.
    public func loadParameters(_ values: [Double]) throws {
        guard values.count == storage.count else {
            throw MicrogradError.lengthMismatch(what: "parameters", expected: storage.count, given: values.count)
        }
        for (index, value) in values.enumerated() {
            storage.baseAddress[index] = value
        }
    }
}

extension MLP: CustomStringConvertible {
    public var description: String { "MLP of [\(layers.map(\.description).joined(separator: ", "))]" }
}
