import Micrograd

/// A compiled constant graph: `jit(value)`, called with no arguments, returns the graph's value.
///
/// Every leaf was baked in as a constant at its `data` when compiled.
///
/// Thread safety: as `CompiledFunction`, which it wraps.
public final class CompiledExpression: @unchecked Sendable {
    /// The compiled function (no inputs, one output).
    public let function: CompiledFunction

    init(_ function: CompiledFunction) {
        precondition(function.inputCount == 0 && function.outputCount == 1, "a constant graph has no inputs and one output")
        self.function = function
    }

    /// The graph's value.
    public func callAsFunction() -> Double {
        var result = 0.0
        // The function takes no inputs and has exactly one output (checked when compiled).
        withUnsafeMutablePointer(to: &result) { function.callUnchecked(nil, $0) }
        return result
    }

    /// The linearised program that was compiled.
    public var program: Program { function.program }

    /// The LLVM IR, after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String { try function.ir(optimized: optimized) }
}

extension CompiledExpression: CustomStringConvertible {
    /// The optimised LLVM IR.
    public var description: String { function.description }
}
