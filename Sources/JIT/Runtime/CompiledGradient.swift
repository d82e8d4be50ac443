import Micrograd

/// A compiled loss with its gradient: one native call computes the loss's value and its
/// derivative by every chosen input and parameter (forward pass and reverse sweep together).
///
/// ```swift
/// let x = Value(0), w = Value(0.5), b = Value(0)
/// let loss = (w * x + b - 1).pow(2)
/// let f = try jit(loss, inputs: [x], parameters: [w, b])
/// let result = try f.valueAndGradient(inputs: [2], parameters: [0.5, 0])
/// result.value               // 0.0
/// result.parameterGradient   // [0.0, 0.0]
/// ```
///
/// Thread safety: as `CompiledFunction`: immutable after `init`, the code writes only the
/// caller's result buffer and its own stack, so any number of threads may call it at once.
public final class CompiledGradient: @unchecked Sendable {
    typealias Entry = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?) -> Void

    /// A loss value and its derivatives.
    public struct Result: Sendable, Equatable {
        /// The loss.
        public let value: Double
        /// `∂loss/∂input` for each input, in the order the inputs were listed.
        public let inputGradient: [Double]
        /// `∂loss/∂parameter` for each parameter, in the order the parameters were listed.
        public let parameterGradient: [Double]
    }

    /// The linearised program (inputs first, then parameters, as its arguments).
    public let program: Program
    /// The options it was compiled with.
    public let options: JITOptions
    /// The number of inputs a call takes.
    public let inputCount: Int
    /// The number of parameters a call takes.
    public let parameterCount: Int
    /// The leaves compiled as arguments (inputs, then parameters), for ``valueAndGradient()``.
    private let leaves: [Value]
    private let code: NativeCode
    private let entry: Entry

    init(loss: Value, inputs: [Value], parameters: [Value], options: JITOptions) throws {
        leaves = inputs + parameters
        program = try Program(outputs: [loss], inputs: leaves)
        self.options = options
        inputCount = inputs.count
        parameterCount = parameters.count
        let program = program
        code = try Compiler.compile(named: "gradient", entry: Program.gradientEntryName, options: options) { module in
            try program.emitGradient(into: module, precision: options.precision)
        }
        entry = code.entry(as: Entry.self)
    }

    /// The loss and its gradients at the given input and parameter values.
    ///
    /// - Throws: `JITError.inputCountMismatch` when either array has the wrong length (the
    ///   counts compared are those of the inputs, or of the parameters).
    public func valueAndGradient(inputs: [Double], parameters: [Double]) throws -> Result {
        try JITError.checkInputCount(inputs.count, expected: inputCount)
        try JITError.checkInputCount(parameters.count, expected: parameterCount)
        return evaluate(arguments: inputs + parameters)
    }

    /// The loss and its gradients at the current `data` of the compiled inputs and parameters.
    public func valueAndGradient() -> Result {
        // NOTE: `leaves` are the compiled inputs then parameters, so the count is right by
        // construction and no check can fail.
        evaluate(arguments: leaves.map(\.data))
    }

    /// Calls the code with `inputCount + parameterCount` arguments (inputs, then parameters).
    private func evaluate(arguments: [Double]) -> Result {
        var results = [Double](repeating: 0, count: 1 + arguments.count)
        arguments.withUnsafeBufferPointer { argumentBuffer in
            results.withUnsafeMutableBufferPointer { entry(argumentBuffer.baseAddress, $0.baseAddress) }
        }
        return Result(
            value: results[0],
            inputGradient: Array(results[1 ..< 1 + inputCount]),
            parameterGradient: Array(results[(1 + inputCount)...]))
    }

    /// The LLVM IR of the compiled function, after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String {
        let program = program
        let precision = options.precision
        return try Compiler.ir(named: "gradient", options: options, optimized: optimized) { module in
            try program.emitGradient(into: module, precision: precision)
        }
    }
}

extension CompiledGradient: CustomStringConvertible {
    /// The optimised LLVM IR.
    public var description: String {
        do { return try ir() } catch { return "<IR unavailable: \(error)>" }
    }
}
