/// Batched inference with `CompiledModel`'s call shapes, and device-resident use.
extension DeviceModel {
    /// Writes the outputs of `rows` samples into `outputs` (row-major, `rows * outputCount`).
    ///
    /// On a GPU: inputs to the device, the kernel, outputs back, in one synchronous call.
    /// - Throws: `JITError.batchShapeMismatch` when a size does not fit `rows`; `.driver` when
    ///   the GPU fails.
    public func callAsFunction(
        batch: UnsafeBufferPointer<Double>, rows: Int, into outputs: UnsafeMutableBufferPointer<Double>
    ) throws {
        switch backend {
        case .cpu(let model):
            try model(batch: batch, rows: rows, into: outputs)
        case .cuda(let runner):
            try checkBatchShape(rows: rows, inputs: batch.count, outputs: outputs.count)
            try runner.evaluate(batch, rows: rows, into: outputs)
        }
    }

    /// The outputs of `rows` samples given flat and row-major; returns `rows * outputCount` values.
    public func callAsFunction(batch: [Double], rows: Int) throws -> [Double] {
        try checkBatchShape(rows: rows, inputs: batch.count, outputs: nil)
        let count = rows * outputCount
        return try [Double](unsafeUninitializedCapacity: count) { outputs, initialized in
            try batch.withUnsafeBufferPointer { try self(batch: $0, rows: rows, into: outputs) }
            initialized = count
        }
    }

    /// Copies `rows` samples to the device, where they stay for `runResident()` (on the CPU,
    /// into a host buffer).
    public func load(batch: UnsafeBufferPointer<Double>, rows: Int) throws {
        try checkBatchShape(rows: rows, inputs: batch.count, outputs: nil)
        switch backend {
        case .cpu: resident.withLock { $0 = (Array(batch), rows, []) }
        case .cuda(let runner): try runner.load(batch, rows: rows)
        }
    }

    /// Runs the model on the loaded samples; the outputs stay on the device. Returns when the
    /// kernel has finished (so timing it times the kernel).
    public func runResident() throws {
        switch backend {
        case .cpu(let model):
            try resident.withLock { state in
                state.outputs = try model(batch: state.inputs, rows: state.rows)
            }
        case .cuda(let runner): try runner.run(wait: true)
        }
    }

    /// Copies the outputs of the loaded samples to the host (`rows * outputCount` values).
    public func readOutputs(into outputs: UnsafeMutableBufferPointer<Double>) throws {
        switch backend {
        case .cpu:
            try resident.withLock { state in
                try JITError.checkOutputCount(outputs.count, expected: state.outputs.count)
                _ = outputs.initialize(from: state.outputs)
            }
        case .cuda(let runner): try runner.readOutputs(into: outputs)
        }
    }

    /// Throws `batchShapeMismatch` unless `rows` rows fit `inputs` values (and `outputs`, if
    /// given), and their bytes (8 a value, the device buffers' size) an `Int`.
    func checkBatchShape(rows: Int, inputs: Int, outputs: Int?) throws {
        try JITError.checkBatchShape(rows: rows, inputs: inputs, outputs: outputs, inputCount: inputCount,
                                     outputCount: outputCount, valueSize: 8)
    }
}
