import Micrograd

/// A compiled MLP forward pass that reads the model's live parameters at every call.
///
/// ```swift
/// let model = MLP(inputs: 2, layers: [16, 16, 1])
/// let compiled = try jit(model)
/// try compiled([0.5, -1.0])      // [score]
/// // ... train `model` ...
/// try compiled([0.5, -1.0])      // uses the new weights: no recompilation
/// ```
///
/// NOTE (lifetime): the code reads the MLP's `ParameterStorage` through its base address, which
/// is fixed for the storage's life; the compiled model holds the storage strongly, so the
/// pointer stays valid even if the MLP itself is released.
///
/// Thread safety: `@unchecked Sendable` because the stored properties are immutable and the
/// code only reads the parameters and the caller's input, and writes the caller's output and
/// its own stack (hidden activations are stack buffers). Concurrent calls are safe as long as
/// nobody writes the parameters (trains) at the same time.
public final class CompiledModel: @unchecked Sendable {
    typealias Entry = @convention(c) (UnsafePointer<Double>, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?) -> Void

    /// The number of inputs a call takes.
    public let inputCount: Int
    /// The number of outputs a call returns.
    public let outputCount: Int
    /// The options it was compiled with.
    public let options: JITOptions
    let shape: MLPShape
    private let storage: ParameterStorage
    private let parameters: UnsafePointer<Double>
    private let code: NativeCode
    private let entry: Entry
    /// The single-sample kernel's shape for the options' target and numerics.
    let plan: MLPKernelPlan
    /// The batched kernel, compiled on first use (see `CompiledModel+Batch.swift`).
    let batchSlot: BatchKernelSlot

    init(_ mlp: MLP, options: JITOptions) throws {
        let shape = try MLPShape(mlp)
        self.shape = shape
        self.options = options
        inputCount = shape.inputCount
        outputCount = shape.outputCount
        storage = mlp.storage
        parameters = UnsafePointer(mlp.storage.baseAddress)
        let target = try options.target()
        let plan = MLPKernelPlan(target: target, precision: options.precision, numerics: options.numerics)
        self.plan = plan
        code = try Compiler.compile(named: "mlp", entry: MLPShape.entryName, options: options, pipeline: .kernel) { module in
            try shape.emit(into: module, precision: options.precision, plan: plan)
        }
        entry = code.entry(as: Entry.self)
        batchSlot = BatchKernelSlot(shape: shape, storage: mlp.storage, options: options, target: target)
    }

    /// The model's outputs for `inputs`, with its current parameters.
    ///
    /// - Throws: `JITError.inputCountMismatch` for a wrong number of inputs.
    public func callAsFunction(_ inputs: [Double]) throws -> [Double] {
        try JITError.checkInputCount(inputs.count, expected: inputCount)
        return [Double](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            inputs.withUnsafeBufferPointer { entry(parameters, $0.baseAddress, buffer.baseAddress) }
            initialized = outputCount
        }
    }

    /// Writes the outputs for `inputs` into `outputs`, without allocating: the fast path.
    ///
    /// - Precondition: the buffers do not overlap each other or the parameters.
    /// - Throws: `JITError.inputCountMismatch` / `.outputCountMismatch` for wrong sizes.
    @inline(__always)
    public func evaluate(_ inputs: UnsafeBufferPointer<Double>, into outputs: UnsafeMutableBufferPointer<Double>) throws {
        try JITError.checkInputCount(inputs.count, expected: inputCount)
        try JITError.checkOutputCount(outputs.count, expected: outputCount)
        entry(parameters, inputs.baseAddress, outputs.baseAddress)
    }

    /// The LLVM IR of the forward pass, after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String {
        try Compiler.ir(named: "mlp", options: options, optimized: optimized, pipeline: .kernel) { [plan] module in
            try shape.emit(into: module, precision: options.precision, plan: plan)
        }
    }
}

extension CompiledModel: CustomStringConvertible {
    /// The optimised LLVM IR.
    public var description: String {
        do { return try ir() } catch { return "<IR unavailable: \(error)>" }
    }
}
