/// How far a compilation has got: passed to the `progress` callback of `jit(_:inputs:options:progress:)`
/// and `jit(_:inputs:parameters:options:progress:)`.
///
/// A big graph is compiled in pieces on several threads: `.compiling` reports the program's
/// slots (about one per graph node) compiled so far, `.linking` the object files linked into
/// the JIT. A graph small enough to be one function reports `.compiling` once, when done.
public struct CompilationProgress: Sendable, Equatable, CustomStringConvertible {
    /// The stage of the compilation.
    public enum Stage: String, Sendable, Equatable {
        /// Optimising and generating code, piece by piece.
        case compiling
        /// Linking the generated objects into the JIT.
        case linking
    }

    /// The stage.
    public let stage: Stage
    /// Slots compiled (`.compiling`) or objects linked (`.linking`) so far.
    public let completed: Int
    /// The number of slots or objects in all.
    public let total: Int

    /// `completed / total`, 1 when there is nothing to do.
    public var fraction: Double { total == 0 ? 1 : Double(completed) / Double(total) }

    /// `compiling 4096/100000`.
    public var description: String { "\(stage.rawValue) \(completed)/\(total)" }
}

/// A progress callback: called serially (never two calls at once), possibly from worker threads.
public typealias CompilationProgressHandler = @Sendable (CompilationProgress) -> Void
