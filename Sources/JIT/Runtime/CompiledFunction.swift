import Micrograd

/// A compiled graph with chosen inputs and any number of outputs; call it with input values.
///
/// ```swift
/// let x = Value(0), y = Value(0)
/// let f = try jit([x * y + x, (x - y).relu()], inputs: [x, y])
/// try f([3, 2])          // [9.0, 1.0]
/// print(f)               // the optimised LLVM IR
/// ```
///
/// Thread safety: `@unchecked Sendable` because every stored property is immutable after
/// `init` and the machine code is a pure function of its arguments: it reads the caller's input
/// buffer and constants, writes only the caller's output buffer and its own stack frame. So any
/// number of threads may call one instance at once.
public final class CompiledFunction: @unchecked Sendable {
    /// The linearised program that was compiled.
    public let program: Program
    /// The options it was compiled with.
    public let options: JITOptions
    /// Where the program was cut into pieces (`.standard` unless a test chose smaller ones).
    let limits: ProgramPartition.Limits
    private let code: ProgramCode

    /// Compiles `program`: as one function up to `limits.singleFunctionLimit` slots, else as
    /// pieces compiled in parallel (issue 15); `progress` hears how far it got.
    init(
        program: Program, options: JITOptions, limits: ProgramPartition.Limits = .standard,
        progress: CompilationProgressHandler? = nil
    ) throws {
        self.program = program
        self.options = options
        self.limits = limits
        code = try ProgramCode.compile(program, gradient: false, options: options, limits: limits, progress: progress) {
            module in try program.emit(into: module, precision: options.precision)
        }
    }

    /// Whether the program was compiled as pieces (more than `limits.singleFunctionLimit` slots).
    var isPiecewise: Bool {
        if case .pieces = code { return true }
        return false
    }

    /// Whether a call prefetches the pieces' code ahead (`PiecewiseCode.prefetches`).
    var prefetchesCode: Bool {
        if case .pieces(let pieces) = code { return pieces.prefetches }
        return false
    }

    /// The number of inputs a call takes.
    public var inputCount: Int { program.inputCount }
    /// The number of outputs a call returns.
    public var outputCount: Int { program.outputs.count }

    /// The outputs for `inputs` (in the order the inputs were listed when compiling).
    ///
    /// - Throws: `JITError.inputCountMismatch` for a wrong number of inputs.
    public func callAsFunction(_ inputs: [Double]) throws -> [Double] {
        try JITError.checkInputCount(inputs.count, expected: inputCount)
        return [Double](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            inputs.withUnsafeBufferPointer { code.call($0.baseAddress, buffer.baseAddress) }
            initialized = outputCount
        }
    }

    /// Writes the outputs for `inputs` into `outputs`, without allocating.
    ///
    /// - Precondition: the buffers do not overlap.
    /// - Throws: `JITError.inputCountMismatch` / `.outputCountMismatch` for wrong sizes.
    @inline(__always)
    public func evaluate(_ inputs: UnsafeBufferPointer<Double>, into outputs: UnsafeMutableBufferPointer<Double>) throws {
        try JITError.checkInputCount(inputs.count, expected: inputCount)
        try JITError.checkOutputCount(outputs.count, expected: outputCount)
        code.call(inputs.baseAddress, outputs.baseAddress)
    }

    /// Calls the code without checking sizes.
    ///
    /// - Precondition: `inputs` holds `inputCount` values and `outputs` has room for
    ///   `outputCount` (for a function without inputs, `inputs` may be nil).
    func callUnchecked(_ inputs: UnsafePointer<Double>?, _ outputs: UnsafeMutablePointer<Double>) {
        code.call(inputs, outputs)
    }

    /// The LLVM IR of the compiled function (or of its pieces' modules, one after another),
    /// after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String {
        if isPiecewise {
            let partition = ProgramPartition(program, pieceSize: limits.pieceSize, gradient: false)
            return try PieceCompiler.ir(
                program, partition: partition, gradient: false, options: options, limits: limits, optimized: optimized)
        }
        return try Compiler.ir(named: "graph", options: options, optimized: optimized) { module in
            try program.emit(into: module, precision: options.precision)
        }
    }
}

extension CompiledFunction: CustomStringConvertible {
    /// The optimised LLVM IR.
    public var description: String {
        do { return try ir() } catch { return "<IR unavailable: \(error)>" }
    }
}
