/// A layer of neurons that all see the same inputs and share an activation.
public final class Layer: Module {
    /// The neurons, one per output.
    public let neurons: [Neuron]
    /// The number of inputs each neuron takes.
    public let inputCount: Int
    /// The nonlinearity of every neuron of the layer.
    public let activation: Activation

    /// Creates a layer of `outputs` neurons with weights drawn from `seed`, for a shape written
    /// in code (a bad one stops the program; see ``init(validatingInputs:outputs:activation:seed:)``).
    public convenience init(inputs: Int, outputs: Int, activation: Activation = .relu, seed: UInt64 = 0) {
        do {
            _ = try MLP.parameterCount(inputs: inputs, layers: [outputs])
        } catch {
            preconditionFailure("\(error)")
        }
        var random = RandomSource(seed: seed)
        let storage = ParameterStorage(count: outputs * (inputs + 1))
        self.init(
            inputs: inputs, outputs: outputs, activation: activation, storage: storage, offset: 0, random: &random)
    }

    /// Creates a layer from a shape that comes from outside, checking it first.
    ///
    /// - Throws: `MicrogradError.invalidShape` when `inputs` or `outputs` is below 1 or the
    ///   parameter count is above `MLP.maximumParameterCount`.
    public convenience init(
        validatingInputs inputs: Int, outputs: Int, activation: Activation = .relu, seed: UInt64 = 0
    ) throws {
        _ = try MLP.parameterCount(inputs: inputs, layers: [outputs])
        self.init(inputs: inputs, outputs: outputs, activation: activation, seed: seed)
    }

    /// Creates a layer whose parameters live in `storage` from `offset` on, neuron by neuron.
    init(
        inputs: Int, outputs: Int, activation: Activation, storage: ParameterStorage, offset: Int,
        random: inout RandomSource
    ) {
        precondition(outputs > 0, "a layer needs at least one neuron")
        var neurons: [Neuron] = []
        neurons.reserveCapacity(outputs)
        for j in 0..<outputs {
            neurons.append(Neuron(
                inputs: inputs, activation: activation, storage: storage,
                offset: offset + j * (inputs + 1), random: &random))
        }
        self.neurons = neurons
        self.inputCount = inputs
        self.activation = activation
    }

    /// The number of outputs (neurons).
    public var outputCount: Int { neurons.count }

    /// Neuron by neuron, each one's weights then bias.
    public var parameters: [Value] { neurons.flatMap(\.parameters) }

    /// The outputs of every neuron for `inputs`.
    public func callAsFunction(_ inputs: [Value]) throws -> [Value] {
        guard inputs.count == inputCount else {
            throw MicrogradError.inputCountMismatch(expected: inputCount, given: inputs.count)
        }
        return try neurons.map { try $0(inputs) }
    }

    /// The outputs for numeric inputs.
    public func callAsFunction(_ inputs: [Double]) throws -> [Value] {
        try self(inputs.map { Value($0) })
    }
}

extension Layer: CustomStringConvertible {
    /// micrograd's form: `Layer of [ReLUNeuron(2), ...]`.
    public var description: String { "Layer of [\(neurons.map(\.description).joined(separator: ", "))]" }
}
