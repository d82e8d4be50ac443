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
        self.function = function
    }

    /// The graph's value.
    public func callAsFunction() -> Double {
        var result = 0.0
        var unused = 0.0
        // Cannot throw: the function takes no inputs and has exactly one output.
        withUnsafeMutablePointer(to: &unused) { noInput in
            withUnsafeMutablePointer(to: &result) { output in
                try! function.evaluate(
                    UnsafeBufferPointer(start: noInput, count: 0), into: UnsafeMutableBufferPointer(start: output, count: 1))
            }
        }
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
