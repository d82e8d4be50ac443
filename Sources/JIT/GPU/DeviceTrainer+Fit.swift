import Micrograd

extension DeviceTrainer {
    /// Trains on the whole data set for `steps` updates, calling `progress` after each, then
    /// (on a GPU) copies the parameters back into the model (`syncToHost()`).
    ///
    /// - Returns: every step's report, in order.
    /// - Throws: as ``step(_:)``; the parameters are copied back also when a step throws
    ///   (as far as the device can still be read).
    @discardableResult
    public func fit(
        _ dataset: Dataset, steps: Int, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> [TrainingProgress] {
        guard steps >= 0 else {
            throw MicrogradError.invalidArgument("the number of steps must not be negative, got \(steps)")
        }
        let batch = TrainingBatch(dataset)
        var reports: [TrainingProgress] = []
        reports.reserveCapacity(steps)
        do {
            for _ in 0..<steps {
                let report = try step(batch)
                reports.append(report)
                progress?(report)
            }
        } catch {
            try? syncToHost()
            throw error
        }
        try syncToHost()
        return reports
    }

    /// Makes one update from a (mini)batch of rows and their targets (no sync: see ``syncToHost()``).
    @discardableResult
    public func fitBatch(rows: [[Double]], targets: [Double]) throws -> TrainingProgress {
        try step(TrainingBatch(rows: rows, targets: targets))
    }
}

extension GPUTrainingStep {
    /// A step for `trainer`'s model, objective, regularisation and optimiser, continuing its step count.
    convenience init(_ trainer: Trainer, backend: (GPUTrainingEmitter) throws -> any GPUTrainingBackend) throws {
        try self.init(
            model: trainer.model, objective: trainer.objective, regularization: trainer.regularization,
            optimizer: trainer.optimizer, startStep: trainer.stepCount, backend: backend)
    }
}

/// Compiles the training step of an interpreter `Trainer` for `device`, continuing its step
/// count: the CPU's ``CompiledTrainer`` on `.cpu`, four CUDA kernels on `.cuda` (the parameters
/// and the optimiser's state copied to the device, where they stay; see ``DeviceTrainer``).
///
/// ```swift
/// let gpu = try jit(Trainer.karpathyMoons(model: model), on: .cuda())
/// try gpu.fit(dataset, steps: 100)
/// ```
///
/// On `.cuda` the kernels are Float64 and exact whatever `options.precision` and `numerics`
/// say; the optimisation level applies.
///
/// - Throws: `JITError.deviceUnavailable` without the NVIDIA driver (`libcuda.so.1`), without a
///   device, or for an ordinal out of range; `.driver` when a driver call fails;
///   `.unsupportedOperation` for an optimiser the compiled step does not implement; as
///   ``CompiledTrainer/init(model:objective:regularization:optimizer:options:startStep:)`` on `.cpu`.
public func jit(_ trainer: Trainer, on device: Device, options: JITOptions = .default) throws -> DeviceTrainer {
    try DeviceTrainer(trainer, on: device, options: options)
}
