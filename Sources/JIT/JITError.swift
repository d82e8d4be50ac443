/// An error from compiling or calling a JIT-compiled graph or model.
///
/// The JIT never traps on bad input or on an LLVM failure: each is reported as one of these
/// cases, with LLVM's own message where LLVM produced one.
public enum JITError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A compiled function was called with the wrong number of inputs.
    case inputCountMismatch(expected: Int, given: Int)
    /// An output buffer passed to a compiled function has the wrong size.
    case outputCountMismatch(expected: Int, given: Int)
    /// A batch's input or output buffer does not fit its row count; says which and by how much.
    case batchShapeMismatch(String)
    /// The graph contains an op the lowering does not know (for example `Op.custom`).
    case unsupportedOperation(String)
    /// A graph or model the JIT cannot compile as given (for example an input that is not a leaf).
    case invalidGraph(String)
    /// LLVM's verifier rejected the emitted module; carries the verifier's message.
    case verification(String)
    /// An LLVM call failed; carries LLVM's message.
    case llvm(String)
    /// A processor or target this LLVM or this package cannot generate code for; names it.
    case unsupportedTarget(String)
    /// An ahead-of-time export could not be done as asked: a name that is not a C identifier,
    /// a graph it cannot export, or a file that could not be written (which, and why).
    case exportFailed(String)
    /// A `CompiledTrainer` step with `detectsAnomalies` made the loss (`parameterIndex` nil) or
    /// a parameter (its index in `parameters` order) NaN or infinite; `detail` gives the numbers.
    case nonFiniteTraining(step: Int, parameterIndex: Int?, detail: String)
    /// A GPU was asked for and none can be used: no CUDA driver (`libcuda.so.1`), no device, or
    /// a device ordinal out of range; says which.
    case deviceUnavailable(String)
    /// A CUDA driver call failed: names the call, the driver's error name and text, and for a
    /// module load the driver's JIT error log.
    case driver(String)

    /// A one-line message: what went wrong, with the sizes involved or LLVM's own words.
    public var description: String {
        switch self {
        case .inputCountMismatch(let expected, let given):
            "input count mismatch: expected \(expected) inputs, given \(given)"
        case .outputCountMismatch(let expected, let given):
            "output count mismatch: expected room for \(expected) outputs, given \(given)"
        case .batchShapeMismatch(let reason):
            "batch shape mismatch: \(reason)"
        case .unsupportedOperation(let op):
            "unsupported operation: the JIT cannot lower '\(op)'"
        case .invalidGraph(let reason):
            "invalid graph: \(reason)"
        case .verification(let message):
            "LLVM verification failed: \(message)"
        case .llvm(let message):
            "LLVM error: \(message)"
        case .unsupportedTarget(let message):
            "unsupported target: \(message)"
        case .exportFailed(let reason):
            "export failed: \(reason)"
        case .nonFiniteTraining(let step, let parameterIndex, let detail):
            "non-finite training step \(step): \(parameterIndex.map { "parameter \($0)" } ?? "the loss") \(detail)"
        case .deviceUnavailable(let reason):
            "device unavailable: \(reason)"
        case .driver(let message):
            "CUDA driver error: \(message)"
        }
    }
}

extension JITError {
    /// Throws ``inputCountMismatch(expected:given:)`` unless `given == expected`.
    @inline(__always)
    static func checkInputCount(_ given: Int, expected: Int) throws {
        guard given == expected else { throw JITError.inputCountMismatch(expected: expected, given: given) }
    }

    /// Throws ``outputCountMismatch(expected:given:)`` unless `given == expected`.
    @inline(__always)
    static func checkOutputCount(_ given: Int, expected: Int) throws {
        guard given == expected else { throw JITError.outputCountMismatch(expected: expected, given: given) }
    }

    /// Throws ``batchShapeMismatch(_:)`` unless `rows` rows of `inputCount` values fill `inputs`
    /// values exactly (and of `outputCount` values fill `outputs`, if given), and the batch's
    /// larger side, `rows` times the values of a row times `valueSize`, is a number an `Int`
    /// holds (`valueSize` 1 bounds the number of values, 8 their bytes).
    static func checkBatchShape(
        rows: Int, inputs: Int, outputs: Int?, inputCount: Int, outputCount: Int, valueSize: Int
    ) throws {
        guard rows >= 0 else { throw JITError.batchShapeMismatch("a batch cannot have \(rows) rows") }
        let (_, overflow) = rows.multipliedReportingOverflow(by: Swift.max(inputCount, outputCount) * valueSize)
        guard !overflow else { throw JITError.batchShapeMismatch("\(rows) rows of this model do not fit in memory") }
        guard inputs == rows * inputCount else {
            throw JITError.batchShapeMismatch(
                "\(rows) rows of \(inputCount) inputs need \(rows * inputCount) values, the batch holds \(inputs)")
        }
        if let outputs, outputs != rows * outputCount {
            throw JITError.batchShapeMismatch(
                "\(rows) rows of \(outputCount) outputs need room for \(rows * outputCount) values, "
                    + "the output buffer holds \(outputs)")
        }
    }
}
