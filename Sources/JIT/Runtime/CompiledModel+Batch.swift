import Foundation
import Micrograd

/// Batched inference: many samples per call, vectorised across samples and split across cores.
///
/// ```swift
/// let compiled = try jit(MLP(inputs: 2, layers: [16, 16, 1]))
/// let scores = try compiled(batch: [[0.5, -1.0], [1.0, 0.25]])      // [[s0], [s1]]
/// try compiled(batch: flatInputs, rows: n, into: flatOutputs)      // no allocation per row
/// ```
///
/// Each sample's outputs equal the single-sample call's (and so the interpreter's) bit for bit
/// in Float64: lanes of a vector are samples, and each lane sums in the interpreter's order.
/// The first batched call compiles the batched kernel (`prepareBatch()` does it ahead).
extension CompiledModel {
    /// Writes the outputs of `rows` samples into `outputs`: the allocation-free fast path.
    ///
    /// - Parameters:
    ///   - batch: `rows * inputCount` values, row-major (sample by sample).
    ///   - rows: the number of samples.
    ///   - outputs: room for `rows * outputCount` values, row-major; must not overlap `batch`.
    ///   - threads: the most threads to use; by default every active core. Small batches run
    ///     on the calling thread.
    /// - Throws: `JITError.batchShapeMismatch` when a size does not fit `rows`.
    public func callAsFunction(
        batch: UnsafeBufferPointer<Double>, rows: Int, into outputs: UnsafeMutableBufferPointer<Double>,
        threads: Int? = nil
    ) throws {
        try checkBatchShape(rows: rows, inputs: batch.count, outputs: outputs.count)
        guard rows > 0, let input = batch.baseAddress, let output = outputs.baseAddress else { return }
        let kernel = try batchSlot.get()
        kernel.run(input, rows: rows, into: output, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The outputs of `rows` samples given flat and row-major; returns `rows * outputCount` values.
    ///
    /// - Throws: `JITError.batchShapeMismatch` when `batch.count != rows * inputCount`.
    public func callAsFunction(batch: [Double], rows: Int, threads: Int? = nil) throws -> [Double] {
        try checkBatchShape(rows: rows, inputs: batch.count, outputs: nil)
        let count = rows * outputCount
        return try [Double](unsafeUninitializedCapacity: count) { outputs, initialized in
            try batch.withUnsafeBufferPointer { inputs in
                try self(batch: inputs, rows: rows, into: outputs, threads: threads)
            }
            initialized = count
        }
    }

    /// The outputs of each sample in `batch`, one array per sample.
    ///
    /// - Throws: `JITError.batchShapeMismatch` naming the first sample whose size is not
    ///   `inputCount`.
    public func callAsFunction(batch: [[Double]], threads: Int? = nil) throws -> [[Double]] {
        var flat: [Double] = []
        flat.reserveCapacity(batch.count * inputCount)
        for (index, sample) in batch.enumerated() {
            guard sample.count == inputCount else {
                throw JITError.batchShapeMismatch("sample \(index) has \(sample.count) inputs, the model takes \(inputCount)")
            }
            flat.append(contentsOf: sample)
        }
        let outputs = try self(batch: flat, rows: batch.count, threads: threads)
        return (0..<batch.count).map { Array(outputs[$0 * outputCount ..< ($0 + 1) * outputCount]) }
    }

    /// Throws `batchShapeMismatch` unless `rows` rows fit `inputs` values (and `outputs`, if given).
    private func checkBatchShape(rows: Int, inputs: Int, outputs: Int?) throws {
        try JITError.checkBatchShape(rows: rows, inputs: inputs, outputs: outputs, inputCount: inputCount,
                                     outputCount: outputCount, valueSize: 1)
    }

    /// Compiles the batched kernel now, so the first batched call does not pay for it.
    public func prepareBatch() throws {
        _ = try batchSlot.get()
    }

    /// The LLVM IR of the batched kernel (one block of samples), after optimisation or before.
    public func batchIR(optimized: Bool = true) throws -> String {
        try batchSlot.ir(optimized: optimized)
    }
}
