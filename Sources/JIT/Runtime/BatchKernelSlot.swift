import Micrograd
import Synchronization

/// Compiles a model's batched kernel on first use, once, and keeps it.
///
/// A `CompiledModel` holds one slot, so single-sample use never pays for the batched kernel's
/// compilation (about as long as the scalar one's).
///
/// Thread safety: the kernel is created under a mutex; concurrent first calls compile once.
final class BatchKernelSlot: Sendable {
    private let shape: MLPShape
    private let options: JITOptions
    private let tiling: BatchTiling
    private let fused: Bool
    private let storage: UncheckedStorage
    private let kernel = Mutex<BatchKernel?>(nil)

    /// `ParameterStorage` is a class the kernel only reads through its base address.
    private struct UncheckedStorage: @unchecked Sendable { let value: ParameterStorage }

    /// A slot for `shape` compiled with `options` for `target` (the options' target, read once
    /// by the caller): the tiling from its vectors and registers, FMA when `.fast` and it has FMA.
    init(shape: MLPShape, storage: ParameterStorage, options: JITOptions, target: TargetDescription) {
        self.shape = shape
        self.options = options
        self.tiling = BatchTiling(target: target, precision: options.precision)
        self.fused = options.numerics == .fast && target.hasFMA
        self.storage = UncheckedStorage(value: storage)
    }

    /// The compiled kernel, compiling it if this is the first request.
    func get() throws -> BatchKernel {
        try kernel.withLock { slot in
            if let compiled = slot { return compiled }
            let compiled = try BatchKernel(
                shape: shape, storage: storage.value, options: options, tiling: tiling, fused: fused)
            slot = compiled
            return compiled
        }
    }

    /// The kernel's LLVM IR, after optimisation or before (compiles nothing into the JIT).
    func ir(optimized: Bool) throws -> String {
        try BatchKernel.ir(shape: shape, options: options, tiling: tiling, fused: fused, optimized: optimized)
    }
}
