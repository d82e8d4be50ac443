import Foundation
import Micrograd

/// The compiled block kernels of an MLP (`@mlp_block`, and `@mlp_block_tail` for blocks of one
/// panel) and the driver that runs a batch of any size through them: whole blocks straight from
/// the caller's buffers, blocks handed out one at a time to several threads; the rows after the
/// last whole block in panels, the last partial panel through a zero-padded copy.
///
/// Thread safety: immutable after `init`; every call allocates its own scratch, so concurrent
/// calls share nothing but the (read-only) parameters.
final class BatchKernel: @unchecked Sendable {
    typealias Entry = @convention(c) (
        UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutableRawPointer
    ) -> Void

    let shape: MLPShape
    let tiling: BatchTiling
    private let storage: ParameterStorage
    private let code: NativeCode
    private let entry: Entry
    private let tailEntry: Entry

    init(shape: MLPShape, storage: ParameterStorage, options: JITOptions, tiling: BatchTiling, fused: Bool) throws {
        self.shape = shape
        self.tiling = tiling
        self.storage = storage
        code = try Compiler.compile(named: "mlp_batch", entry: MLPShape.batchEntryName, options: options, pipeline: .tiles) { module in
            try Self.emit(shape, tiling: tiling, fused: fused, precision: options.precision, into: module)
        }
        entry = code.entry(as: Entry.self)
        tailEntry = try code.entry(named: MLPShape.batchTailEntryName, as: Entry.self)
    }

    /// Both kernels into `module`.
    private static func emit(
        _ shape: MLPShape, tiling: BatchTiling, fused: Bool, precision: JITOptions.Precision, into module: borrowing Module
    ) throws {
        try shape.emitBatched(into: module, precision: precision, tiling: tiling, fused: fused)
        try shape.emitBatched(
            into: module, precision: precision, tiling: tiling.tail, fused: fused, name: MLPShape.batchTailEntryName)
    }

    /// Multiply-adds per sample: the work estimate that decides whether to use several threads.
    var multiplyAddsPerRow: Int { shape.layers.reduce(0) { $0 + $1.inputs * $1.outputs } }

    /// Runs `rows` samples from `inputs` (row-major) into `outputs` (row-major) on up to
    /// `threads` threads. Sizes are the caller's to check.
    func run(_ inputs: UnsafePointer<Double>, rows: Int, into outputs: UnsafeMutablePointer<Double>, threads: Int) {
        guard rows > 0 else { return }
        let lanesBytes = tiling.lanes * tiling.elementBytes
        let job = BatchJob(
            entry: entry, tailEntry: tailEntry, parameters: UnsafePointer(storage.baseAddress), inputs: inputs,
            outputs: outputs, rows: rows, blockRows: tiling.blockRows, tailRows: tiling.tail.blockRows,
            inputCount: shape.inputCount, outputCount: shape.outputCount,
            vectorBytes: shape.batchScratchVectors(tiling) * lanesBytes)
        // NOTE: below ~2^17 multiply-adds a second thread saves little: a job on the worker pool
        // costs about a microsecond (measured, 2-core Xeon with AVX-512, KVM, MLP(2,[16,16,1]) in
        // blocks of 128 rows: 256 rows 4.5 us on one thread, 3.9-4.5 on two; 512 rows 8.7 and 5.8-6.0).
        let worthSplitting = rows * multiplyAddsPerRow >= 1 << 17
        parallelFor(items: job.blocks, workers: worthSplitting ? threads : 1) { claim in job.run(claimingBlocks: claim) }
    }

    /// The LLVM IR of the block kernels, after optimisation or before.
    static func ir(
        shape: MLPShape, options: JITOptions, tiling: BatchTiling, fused: Bool, optimized: Bool
    ) throws -> String {
        try Compiler.ir(named: "mlp_batch", options: options, optimized: optimized, pipeline: .tiles) { module in
            try emit(shape, tiling: tiling, fused: fused, precision: options.precision, into: module)
        }
    }
}

/// One batched call's raw pointers and sizes: what each worker thread needs, with no
/// reference-counted object in it.
///
/// `@unchecked Sendable`: the workers read `inputs` and `parameters` and write disjoint row
/// blocks of `outputs`; the caller keeps all three alive until `parallelFor` returns.
private struct BatchJob: @unchecked Sendable {
    let entry: BatchKernel.Entry
    let tailEntry: BatchKernel.Entry
    let parameters: UnsafePointer<Double>
    let inputs: UnsafePointer<Double>
    let outputs: UnsafeMutablePointer<Double>
    let rows: Int
    let blockRows: Int
    /// Rows per call of `tailEntry` (one panel).
    let tailRows: Int
    let inputCount: Int
    let outputCount: Int
    /// Bytes of the block kernel's two layer buffers (the tail kernel's are smaller); the padded
    /// last panel follows them.
    let vectorBytes: Int

    var blocks: Int { (rows + blockRows - 1) / blockRows }

    /// Runs the blocks `claim` hands out until it returns nil, with one scratch allocation.
    func run(claimingBlocks claim: () -> Int?) {
        let tailBytes = tailRows * (inputCount + outputCount) * MemoryLayout<Double>.stride
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: vectorBytes + tailBytes, alignment: 64)
        defer { scratch.deallocate() }
        while let block = claim() {
            let first = block * blockRows
            let count = Swift.min(blockRows, rows - first)
            let x = inputs + first * inputCount, y = outputs + first * outputCount
            if count == blockRows {
                entry(parameters, x, y, scratch)
            } else {
                runTail(count, from: x, into: y, scratch: scratch)
            }
        }
    }

    /// The last `count` rows (fewer than a block): whole panels straight from the caller's
    /// buffers, then the last partial panel padded with zeros, keeping its `count` rows.
    private func runTail(
        _ count: Int, from x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutableRawPointer
    ) {
        var done = 0
        while count - done >= tailRows {
            tailEntry(parameters, x + done * inputCount, y + done * outputCount, scratch)
            done += tailRows
        }
        let left = count - done
        guard left > 0 else { return }
        let paddedIn = (scratch + vectorBytes).assumingMemoryBound(to: Double.self)
        let paddedOut = paddedIn + tailRows * inputCount
        paddedIn.update(from: x + done * inputCount, count: left * inputCount)
        (paddedIn + left * inputCount).update(repeating: 0, count: (tailRows - left) * inputCount)
        tailEntry(parameters, paddedIn, paddedOut, scratch)
        (y + done * outputCount).update(from: paddedOut, count: left * outputCount)
    }
}
