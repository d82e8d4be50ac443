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
    /// Where the program was cut into pieces (`.standard` unless a test chose smaller ones).
    let limits: ProgramPartition.Limits
    private let code: ProgramCode

    /// Compiles the value and gradient of `loss`: as one function up to
    /// `limits.singleFunctionLimit` slots, else as forward and reverse pieces compiled in
    /// parallel (issue 15); `progress` hears how far it got.
    init(
        loss: Value, inputs: [Value], parameters: [Value], options: JITOptions,
        limits: ProgramPartition.Limits = .standard, progress: CompilationProgressHandler? = nil
    ) throws {
        leaves = inputs + parameters
        program = try Program(outputs: [loss], inputs: leaves)
        self.options = options
        self.limits = limits
        inputCount = inputs.count
        parameterCount = parameters.count
        let program = program
        code = try ProgramCode.compile(program, gradient: true, options: options, limits: limits, progress: progress) {
            module in try program.emitGradient(into: module, precision: options.precision)
        }
    }

    /// Whether the program was compiled as pieces (more than `limits.singleFunctionLimit` slots).
    var isPiecewise: Bool {
        if case .pieces = code { return true }
        return false
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
            results.withUnsafeMutableBufferPointer { code.call(argumentBuffer.baseAddress, $0.baseAddress) }
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
        if isPiecewise {
            let partition = ProgramPartition(program, pieceSize: limits.pieceSize, gradient: true)
            return try PieceCompiler.ir(
                program, partition: partition, gradient: true, options: options, limits: limits, optimized: optimized)
        }
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
