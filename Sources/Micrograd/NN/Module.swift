/// Something with learnable parameters: a neuron, a layer, a network.
public protocol Module: AnyObject {
    /// The parameters, in a fixed order (for an MLP, micrograd's order).
    var parameters: [Value] { get }
}

extension Module {
    /// Sets every parameter's gradient to zero.
    public func zeroGrad() {
        for parameter in parameters {
            parameter.grad = 0
        }
    }

    /// The number of parameters.
    public var parameterCount: Int { parameters.count }
}

/// Errors of the engine and the NN library: each names what was expected and what was given.
public enum MicrogradError: Error, Equatable, CustomStringConvertible {
    /// A model was called with the wrong number of inputs.
    case inputCountMismatch(expected: Int, given: Int)
    /// Two sequences that must have the same length did not.
    case lengthMismatch(what: String, expected: Int, given: Int)
    /// A batch or data set had no rows.
    case emptyBatch
    /// A number that must be finite was not.
    case nonFiniteInput(String)
    /// A file could not be read or parsed.
    case badFile(path: String, reason: String)
    /// A record of a data file (a CSV row) could not be used; `line` and `column` count from 1
    /// (for a CSV file, `column` is the field's number within its line).
    case badRecord(path: String, line: Int, column: Int, reason: String)
    /// An argument was out of its range.
    case invalidArgument(String)
    /// A network, layer or neuron shape that cannot be built (no inputs, no layers, a layer
    /// without neurons, an activation count that differs from the layer count, too many
    /// parameters); the message names the offending number.
    case invalidShape(String)
    /// `Value.backward(detectingAnomalies:)` found the node where a NaN or infinity was born.
    case numericAnomaly(NumericAnomaly)
    /// A checkpoint file could not be read, parsed or used; ``CheckpointProblem`` says which.
    case badCheckpoint(path: String, problem: CheckpointProblem)

    /// A one-line message saying what went wrong and where.
    public var description: String {
        switch self {
        case let .inputCountMismatch(expected, given):
            "wrong number of inputs: expected \(expected), given \(given)"
        case let .lengthMismatch(what, expected, given):
            "\(what): expected length \(expected), given \(given)"
        case .emptyBatch:
            "the batch is empty"
        case let .nonFiniteInput(what):
            "non-finite number in \(what)"
        case let .badFile(path, reason):
            "cannot use \(path): \(reason)"
        case let .badRecord(path, line, column, reason):
            "\(path), line \(line), column \(column): \(reason)"
        case let .invalidArgument(message):
            message
        case let .invalidShape(message):
            "invalid shape: \(message)"
        case let .numericAnomaly(anomaly):
            "NaN or infinity born in the \(anomaly)"
        case let .badCheckpoint(path, problem):
            "cannot use checkpoint \(path): \(problem)"
        }
    }
}
