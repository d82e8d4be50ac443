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

    /// Creates a network with the given layer widths, written in code.
    ///
    /// A bad shape is a programming error here and stops the program with the message of
    /// ``init(validatingInputs:layers:activations:seed:)``; use that initialiser for shapes
    /// that come from a file or the command line.
    ///
    /// - Parameters:
    ///   - inputs: the number of inputs.
    ///   - sizes: the number of neurons of each layer; the last is the number of outputs.
    ///   - activations: one per layer; by default ReLU on hidden layers and a linear output.
    ///   - seed: the `RandomSource` seed the weights (uniform in [-1, 1]) are drawn from, in
    ///     `parameters` order; biases start at 0.
    public init(inputs: Int, layers sizes: [Int], activations: [Activation]? = nil, seed: UInt64 = 0) {
        let checkedActivations: [Activation]
        let count: Int
        do {
            checkedActivations = try Self.checkedActivations(activations, layerCount: sizes.count)
            count = try Self.parameterCount(inputs: inputs, layers: sizes)
        } catch {
            preconditionFailure("\(error)")
        }
        var widths = [inputs]
        widths.append(contentsOf: sizes)
        let storage = ParameterStorage(count: count)
        var random = RandomSource(seed: seed)
        var layers: [Layer] = []
        var offset = 0
        for (index, size) in sizes.enumerated() {
            layers.append(Layer(
                inputs: widths[index], outputs: size, activation: checkedActivations[index],
                storage: storage, offset: offset, random: &random))
            offset += size * (widths[index] + 1)
        }
        self.inputCount = inputs
        self.layers = layers
        self.storage = storage
        self.parameters = layers.flatMap(\.parameters)
    }

    /// Creates a network from a shape that comes from outside (a file, the command line),
    /// checking it first.
    ///
    /// - Throws: `MicrogradError.invalidShape` when `inputs` or a layer width is below 1,
    ///   `layers` is empty, `activations` does not hold one activation per layer, or the
    ///   parameter count is above ``maximumParameterCount``.
    public convenience init(
        validatingInputs inputs: Int, layers sizes: [Int], activations: [Activation]? = nil, seed: UInt64 = 0
    ) throws {
        let activations = try Self.checkedActivations(activations, layerCount: sizes.count)
        _ = try Self.parameterCount(inputs: inputs, layers: sizes)
        self.init(inputs: inputs, layers: sizes, activations: activations, seed: seed)
    }

    /// The most parameters a network may have (2^31 - 1): each one is a `Value` object as well
    /// as a slot of the storage, so even this many would take hundreds of gigabytes.
    public static let maximumParameterCount = Int(Int32.max)

    /// The number of parameters of a network of this shape, checked without overflowing.
    ///
    /// - Throws: `MicrogradError.invalidShape` when `inputs` or a width is below 1, `layers` is
    ///   empty, or the count is above ``maximumParameterCount``.
    public static func parameterCount(inputs: Int, layers sizes: [Int]) throws -> Int {
        guard inputs >= 1 else {
            throw MicrogradError.invalidShape("the number of inputs must be at least 1, got \(inputs)")
        }
        guard !sizes.isEmpty else { throw MicrogradError.invalidShape("an MLP needs at least one layer") }
        var total = 0
        var width = inputs
        for (index, size) in sizes.enumerated() {
            guard size >= 1 else {
                throw MicrogradError.invalidShape("layer \(index) must have at least 1 neuron, got \(size)")
            }
            // size * (width + 1), each step checked (`width` may be Int.max).
            let (weights, weightsOverflow) = size.multipliedReportingOverflow(by: width)
            let (layerCount, biasOverflow) = weights.addingReportingOverflow(size)
            let (sum, sumOverflow) = total.addingReportingOverflow(layerCount)
            guard !weightsOverflow, !biasOverflow, !sumOverflow, sum <= maximumParameterCount else {
                throw MicrogradError.invalidShape("""
                    more than \(maximumParameterCount) parameters \
                    (at layer \(index), \(size) neurons of \(width) inputs)
                    """)
            }
            total = sum
            width = size
        }
        return total
    }

    /// `activations`, or the default (ReLU, then linear last), checked to be one per layer.
    private static func checkedActivations(_ activations: [Activation]?, layerCount: Int) throws -> [Activation] {
        guard let activations else {
            return (0..<layerCount).map { $0 == layerCount - 1 ? .linear : .relu }
        }
        guard activations.count == layerCount else {
            throw MicrogradError.invalidShape(
                "one activation per layer: \(layerCount) layers, \(activations.count) activations")
        }
        return activations
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
    /// micrograd's form: `MLP of [Layer of [...], ...]`.
    public var description: String { "MLP of [\(layers.map(\.description).joined(separator: ", "))]" }
}
