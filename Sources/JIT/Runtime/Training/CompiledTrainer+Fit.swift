import Micrograd

extension CompiledTrainer {
    /// Trains on the whole data set for `steps` updates (one native call each), calling
    /// `progress` after each, as `Trainer.fit` does.
    ///
    /// - Returns: every step's report, in order.
    /// - Throws: `MicrogradError` for rows of the wrong width, a negative step count, or a loss
    ///   that becomes NaN or infinite (training stops there).
    @discardableResult
    public func fit(
        _ dataset: Dataset, steps: Int, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> [TrainingProgress] {
        guard steps >= 0 else { throw MicrogradError.invalidArgument("the number of steps must not be negative, got \(steps)") }
        let batch = TrainingBatch(dataset)
        var reports: [TrainingProgress] = []
        reports.reserveCapacity(steps)
        for _ in 0..<steps {
            let report = try step(batch)
            reports.append(report)
            progress?(report)
        }
        return reports
    }

    /// Makes one update from a (mini)batch of rows and their targets.
    ///
    /// - Throws: `MicrogradError` for an empty batch, rows of different or wrong widths,
    ///   targets that do not match the rows, or non-finite numbers.
    @discardableResult
    public func fitBatch(rows: [[Double]], targets: [Double]) throws -> TrainingProgress {
        try step(TrainingBatch(rows: rows, targets: targets))
    }
}

/// Compiles the training step of an interpreter `Trainer`'s model, objective, regularisation
/// and optimiser, continuing its step count, with its `detectsAnomalies` setting. Both train the
/// same model (its parameters).
///
/// - Throws: as ``CompiledTrainer/init(model:objective:regularization:optimizer:options:startStep:)``.
public func jit(_ trainer: Trainer, options: JITOptions = .default) throws -> CompiledTrainer {
    let compiled = try CompiledTrainer(
        model: trainer.model, objective: trainer.objective, regularization: trainer.regularization,
        optimizer: trainer.optimizer, options: options, startStep: trainer.stepCount)
    compiled.detectsAnomalies = trainer.detectsAnomalies
    return compiled
}
