/// What is wrong with a checkpoint file, carried by `MicrogradError.badCheckpoint`.
///
/// Each case names one kind of failure, so callers and tests can tell them apart; the
/// associated text says where (which field, which element) and what was found.
public enum CheckpointProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at the path.
    case missing
    /// The file exists but could not be read, or could not be written (the system's message).
    case unreadable(String)
    /// The file ends before the document does (an interrupted copy or write).
    case truncated
    /// The file is not a micrograd checkpoint: it is not a JSON object, or its `"format"` field
    /// is missing or is not `"micrograd-checkpoint"`.
    case wrongMagic(String)
    /// The file is a checkpoint of a version this code does not read.
    case unsupportedVersion(Int)
    /// The architecture cannot be built, or the parameter count does not match it.
    case wrongShape(String)
    /// Invalid JSON, or a field that is missing, of the wrong type or out of range.
    case malformed(String)
    /// A number to be saved is NaN or infinite (the format holds finite numbers only).
    case nonFinite(String)

    /// A short phrase saying what is wrong.
    public var description: String {
        switch self {
        case .missing: "no such file"
        case let .unreadable(message): "cannot access the file (\(message))"
        case .truncated: "the file is truncated (it ends in the middle of the document)"
        case let .wrongMagic(message): "not a micrograd checkpoint: \(message)"
        case let .unsupportedVersion(version):
            "unsupported checkpoint version \(version) (this code reads version \(Checkpoint.version))"
        case let .wrongShape(message): "wrong shape: \(message)"
        case let .malformed(message): "malformed: \(message)"
        case let .nonFinite(message): "cannot save a non-finite number: \(message)"
        }
    }
}
