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
    typealias Entry = @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?) -> Void

    /// The linearised program that was compiled.
    public let program: Program
    /// The options it was compiled with.
    public let options: JITOptions
    private let code: NativeCode
    private let entry: Entry

    init(program: Program, options: JITOptions) throws {
        self.program = program
        self.options = options
        code = try Compiler.compile(named: "graph", entry: Program.entryName, options: options) { module in
            try program.emit(into: module, precision: options.precision)
        }
        entry = code.entry(as: Entry.self)
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
            inputs.withUnsafeBufferPointer { entry($0.baseAddress, buffer.baseAddress) }
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
        entry(inputs.baseAddress, outputs.baseAddress)
    }

    /// Calls the code without checking sizes.
    ///
    /// - Precondition: `inputs` holds `inputCount` values and `outputs` has room for
    ///   `outputCount` (for a function without inputs, `inputs` may be nil).
    func callUnchecked(_ inputs: UnsafePointer<Double>?, _ outputs: UnsafeMutablePointer<Double>) {
        entry(inputs, outputs)
    }

    /// The LLVM IR of the compiled function, after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String {
        try Compiler.ir(named: "graph", options: options, optimized: optimized) { module in
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
