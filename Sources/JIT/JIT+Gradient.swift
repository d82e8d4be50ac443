import Micrograd

/// Compiles a loss and its gradient: the forward pass and the reverse sweep (the adjoint code)
/// as one native function of the listed inputs and parameters.
///
/// The derivatives are those of `backward()`, op for op (`Op.partials`), summed in the same
/// order, so in Float64 they match the interpreter's to rounding. Leaves listed in neither
/// array are constants, baked in at their current `data`.
///
/// ```swift
/// let f = try jit(loss, inputs: [x], parameters: model.parameters)
/// let (value, gradient) = try f.valueAndGradient(inputs: [0.3], parameters: model.storage.values)
/// ```
///
/// Big graphs are compiled in pieces, in parallel, as `jit(_:inputs:options:progress:)` does;
/// `progress`, when given, hears how far the compilation has got.
///
/// - Throws: `JITError.invalidGraph` if both arrays are empty (there is no derivative to
///   compute; `jit(loss)` computes the value alone) or a listed value is not a leaf or is listed
///   twice (inputs and parameters together), `JITError.unsupportedOperation` for `Op.custom`,
///   `JITError.llvm` / `.verification` if LLVM fails.
public func jit(
    _ loss: Value, inputs: [Value], parameters: [Value], options: JITOptions = .default,
    progress: CompilationProgressHandler? = nil
) throws -> CompiledGradient {
    guard !inputs.isEmpty || !parameters.isEmpty else {
        throw JITError.invalidGraph(
            "nothing to compute: no inputs or parameters to differentiate by were given (jit(loss) computes the value)")
    }
    return try CompiledGradient(
        loss: loss, inputs: inputs, parameters: parameters, options: options, progress: progress)
}
