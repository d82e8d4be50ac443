import Foundation

/// A trained `MLP` and optional training state, as saved to and loaded from a file.
///
/// ```swift
/// try model.save(to: url, step: 100, state: ["adam.m": m, "adam.v": v])
/// let restored = try Checkpoint(contentsOf: url)
/// let copy = try restored.makeModel()          // same outputs as `model`
/// ```
///
/// ## File format (version 1)
///
/// A UTF-8 JSON object with these fields, written in this order:
///
/// ```json
/// {
///   "format": "micrograd-checkpoint",
///   "version": 1,
///   "inputs": 2,
///   "layers": [16, 16, 1],
///   "activations": ["relu", "relu", "linear"],
///   "parameters": [0.23, -0.0, 5e-324, ...],
///   "step": 100,
///   "state": {"adam.m": [...], "adam.v": [...]}
/// }
/// ```
///
/// - `format` is the magic string; `version` is `1`. A reader rejects any other version.
/// - `layers` are the layer widths (the last is the number of outputs); `activations` holds
///   one ``Activation`` raw value per layer.
/// - `parameters` are all parameters in `MLP.parameters` order; their count must equal the
///   count the architecture implies.
/// - `step` (a whole number, at least 0) and `state` (named arrays of numbers, keys sorted on
///   writing) are free for a training loop or optimizer; both may be omitted (0 and empty).
///
/// Numbers are written with Swift's shortest round-trip description and read with the correctly
/// rounded `Double(String)`, so every finite `Double` round-trips bit for bit, `-0.0` and
/// subnormals included. NaN and infinities have no JSON spelling: saving one throws
/// ``CheckpointProblem/nonFinite(_:)``, and a literal out of a Double's range (`1e999`) is
/// rejected on reading. Unknown fields are ignored, so later versions can add fields.
public struct Checkpoint: Equatable, Sendable {
    /// The value of the `"format"` field: the file's magic string.
    public static let format = "micrograd-checkpoint"
    /// The format version this code writes and reads.
    public static let version = 1

    /// The number of inputs of the network.
    public var inputCount: Int
    /// The width of each layer, first to last.
    public var layerSizes: [Int]
    /// The activation of each layer.
    public var activations: [Activation]
    /// All parameters, in `MLP.parameters` order.
    public var parameters: [Double]
    /// A training step count (0 when not used).
    public var step: Int
    /// Named arrays of extra state, such as an optimizer's moments.
    public var state: [String: [Double]]

    /// Creates a checkpoint from its parts (checked when written or turned into a model).
    ///
    /// - Parameters:
    ///   - inputCount: the number of inputs of the network.
    ///   - layerSizes: the width of each layer.
    ///   - activations: one activation per layer.
    ///   - parameters: all parameters in `MLP.parameters` order.
    ///   - step: a training step count.
    ///   - state: named arrays of extra state.
    public init(
        inputCount: Int, layerSizes: [Int], activations: [Activation], parameters: [Double],
        step: Int = 0, state: [String: [Double]] = [:]
    ) {
        self.inputCount = inputCount
        self.layerSizes = layerSizes
        self.activations = activations
        self.parameters = parameters
        self.step = step
        self.state = state
    }

    /// Captures `model`'s architecture and current parameters, with optional training state.
    ///
    /// - Parameters:
    ///   - model: the network to capture.
    ///   - step: a training step count.
    ///   - state: named arrays of extra state.
    public init(model: MLP, step: Int = 0, state: [String: [Double]] = [:]) {
        self.init(
            inputCount: model.inputCount, layerSizes: model.layers.map(\.outputCount),
            activations: model.layers.map(\.activation),
            parameters: (0..<model.storage.count).map { model.storage.baseAddress[$0] },
            step: step, state: state)
    }

    /// Checks that the parameter count matches the architecture, without building anything.
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/wrongShape(_:)``.
    public func validateShape(path: String = "<memory>") throws {
        func wrong(_ message: String) -> MicrogradError {
            .badCheckpoint(path: path, problem: .wrongShape(message))
        }
        let expected: Int
        do {
            expected = try MLP.parameterCount(inputs: inputCount, layers: layerSizes)
        } catch let error as MicrogradError {
            if case .invalidShape(let message) = error { throw wrong(message) }
            throw error
        }
        guard activations.count == layerSizes.count else {
            throw wrong("\(layerSizes.count) layers but \(activations.count) activations")
        }
        guard parameters.count == expected else {
            throw wrong("the architecture has \(expected) parameters, the file holds \(parameters.count)")
        }
    }

    /// Builds a new network of the saved architecture holding the saved parameters.
    ///
    /// - Throws: `MicrogradError.badCheckpoint` with ``CheckpointProblem/wrongShape(_:)`` when
    ///   the architecture cannot be built or the parameter count does not match it.
    public func makeModel(path: String = "<memory>") throws -> MLP {
        try validateShape(path: path)
        let model = try MLP(validatingInputs: inputCount, layers: layerSizes, activations: activations)
        try model.loadParameters(parameters)
        return model
    }
}

extension MLP {
    /// Saves the network (and optional training state) as a checkpoint file, atomically.
    ///
    /// - Parameters:
    ///   - url: the file to write; it is replaced in one step (a temporary file and a rename).
    ///   - step: a training step count.
    ///   - state: named arrays of extra state, such as an optimizer's moments.
    /// - Throws: `MicrogradError.badCheckpoint` when a number is not finite or the file cannot
    ///   be written.
    public func save(to url: URL, step: Int = 0, state: [String: [Double]] = [:]) throws {
        try Checkpoint(model: self, step: step, state: state).write(to: url)
    }

    /// Loads a network saved with ``save(to:step:state:)`` (the extra state is dropped; read a
    /// ``Checkpoint`` to keep it).
    ///
    /// - Throws: `MicrogradError.badCheckpoint` naming what is wrong with the file.
    public static func load(from url: URL) throws -> MLP {
        try Checkpoint(contentsOf: url).makeModel(path: url.path)
    }
}
