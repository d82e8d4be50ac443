/// One neuron: `activation(bias + Σ weightᵢ · xᵢ)`.
public final class Neuron: Module {
    /// One weight per input.
    public let weights: [Value]
    /// The bias, initially 0.
    public let bias: Value
    /// The nonlinearity applied to the weighted sum.
    public let activation: Activation

    /// Creates a neuron with weights uniform in [-1, 1] drawn from `seed`, and bias 0, for a
    /// width written in code (a bad one stops the program; see
    /// ``init(validatingInputs:activation:seed:)``).
    public convenience init(inputs: Int, activation: Activation = .relu, seed: UInt64 = 0) {
        do {
            _ = try MLP.parameterCount(inputs: inputs, layers: [1])
        } catch {
            preconditionFailure("\(error)")
        }
        var random = RandomSource(seed: seed)
        let storage = ParameterStorage(count: inputs + 1)
        self.init(inputs: inputs, activation: activation, storage: storage, offset: 0, random: &random)
    }

    /// Creates a neuron from a width that comes from outside, checking it first.
    ///
    /// - Throws: `MicrogradError.invalidShape` when `inputs` is below 1 or above
    ///   `MLP.maximumParameterCount - 1`.
    public convenience init(validatingInputs inputs: Int, activation: Activation = .relu, seed: UInt64 = 0) throws {
        _ = try MLP.parameterCount(inputs: inputs, layers: [1])
        self.init(inputs: inputs, activation: activation, seed: seed)
    }

    /// Creates a neuron whose weights and bias live in `storage[offset ... offset + inputs]`.
    init(inputs: Int, activation: Activation, storage: ParameterStorage, offset: Int, random: inout RandomSource) {
        precondition(inputs > 0, "a neuron needs at least one input")
        var weights: [Value] = []
        weights.reserveCapacity(inputs)
        for i in 0..<inputs {
            let weight = Value(boundTo: storage, index: offset + i)
            weight.data = random.nextUniform(-1, 1)
            weights.append(weight)
        }
        self.weights = weights
        self.bias = Value(boundTo: storage, index: offset + inputs)
        self.activation = activation
    }

    /// The number of inputs.
    public var inputCount: Int { weights.count }

    /// The weights, then the bias (micrograd's order).
    public var parameters: [Value] { weights + [bias] }

    /// The neuron's output for `inputs`: the bias plus the weighted inputs, summed left to right
    /// (micrograd's order), through the activation.
    public func callAsFunction(_ inputs: [Value]) throws -> Value {
        guard inputs.count == weights.count else {
            throw MicrogradError.inputCountMismatch(expected: weights.count, given: inputs.count)
        }
        // NOTE: performance. One `.weightedSum` node instead of the chain of `2n` binary nodes
        // `sum = sum + weight * input`: same value and gradients bit for bit (see
        // `Value.weightedSum`), a fraction of the allocations and of the nodes to walk.
        let sum = Value.uncheckedWeightedSum(bias: bias, weights: weights, inputs: inputs)
        return activation.apply(sum)
    }

    /// The neuron's output for numeric inputs (each becomes a constant leaf).
    public func callAsFunction(_ inputs: [Double]) throws -> Value {
        try self(inputs.map { Value($0) })
    }
}

extension Neuron: CustomStringConvertible {
    /// micrograd's form: `ReluNeuron(2)` (activation and input count).
    public var description: String { "\(activation.rawValue.capitalized)Neuron(\(weights.count))" }
}
