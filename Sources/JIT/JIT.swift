import Micrograd

/// Compiles a constant graph to native code: calling the result returns `value`'s data.
///
/// Every leaf is baked in as a constant at its current `data`.
///
/// ```swift
/// let a = Value(-4), b = Value(2)
/// let g = try jit((a * b + b.pow(3)).relu())
/// g()          // 0.0
/// print(g)     // the LLVM IR
/// ```
///
/// - Throws: `JITError.unsupportedOperation` for a graph with an op the JIT cannot lower
///   (`Op.custom`); `JITError.llvm` / `.verification` if LLVM fails.
public func jit(_ value: Value, options: JITOptions = .default) throws -> CompiledExpression {
    CompiledExpression(try jit([value], inputs: [], options: options))
}

/// Compiles the graph of `outputs` as a function of `inputs`.
///
/// The leaves listed in `inputs` are read from the argument array, in that order; every other
/// leaf is a constant baked in at its current `data`. Shared nodes are computed once.
///
/// NOTE (threads): linearising walks the graph with `Value.topologicalOrder(of:)`, which holds
/// the engine's traversal lock, so threads may compile graphs that share nodes at the same
/// time. Calling compiled objects from many threads is safe.
///
/// NOTE (compile time): a program of more than a few thousand slots is cut into functions of
/// about a thousand slots, compiled in parallel on every core and linked into one JIT, so
/// compile time grows linearly with the graph (issue 15); `progress`, when given, hears how
/// far a compilation has got (see ``CompilationProgress``).
///
/// - Throws: `JITError.invalidGraph` if `outputs` is empty (there is nothing to compute) or an
///   input is not a leaf or is listed twice, `JITError.unsupportedOperation` for `Op.custom`,
///   `JITError.llvm` / `.verification`.
public func jit(
    _ outputs: [Value], inputs: [Value], options: JITOptions = .default, progress: CompilationProgressHandler? = nil
) throws -> CompiledFunction {
    guard !outputs.isEmpty else {
        throw JITError.invalidGraph("nothing to compute: no outputs were given")
    }
    return try CompiledFunction(program: Program(outputs: outputs, inputs: inputs), options: options, progress: progress)
}

/// Compiles an MLP's forward pass as loops over its parameter buffer.
///
/// The compiled model reads the MLP's parameters at each call, so it follows training without
/// recompilation. Its outputs equal the interpreter's (`try mlp(x)`) bit for bit in Float64.
///
/// - Throws: `JITError.llvm` / `.verification` if LLVM fails.
public func jit(_ mlp: MLP, options: JITOptions = .default) throws -> CompiledModel {
    try CompiledModel(mlp, options: options)
}
