import Micrograd

/// The host side of the GPU training step: it checks a batch as `CompiledTrainer.step` does,
/// takes the step's rate from the schedule, keeps the learnable mask and Adam's shared update
/// count current, runs the four entries in order, and reports.
///
/// One step: `row` on n threads, `loss` on one, then (the loss read back, 16 bytes, and found
/// finite) `gradient` and `update` on one thread per parameter. The parameters and the
/// optimiser's state stay in the backend's buffers between steps.
///
/// Not thread-safe: one step at a time (the caller, `DeviceTrainer`, is used from one thread).
final class GPUTrainingStep {
    let backend: any GPUTrainingBackend
    let emitter: GPUTrainingEmitter
    let model: MLP
    var regularization: Double
    var optimizer: any Optimizer
    var stepCount: Int
    /// The host's mirror of the mask and of Adam's update counts (`state[2]`), from which it
    /// computes `common` as the CPU step does (`TrainingWorkspace.prepareCommonCount`).
    private let mirror: TrainingWorkspace
    /// The storage's `learnableChanges` when the mask was last uploaded (nil: never).
    private var maskGeneration: UInt64?

    var layout: TrainingLayout { emitter.layout }
    var parameterCount: Int { layout.parameterCount }

    init(
        model: MLP, objective: Objective, regularization: Double, optimizer: any Optimizer, startStep: Int,
        backend makeBackend: (GPUTrainingEmitter) throws -> any GPUTrainingBackend
    ) throws {
        let update = try CompiledUpdate(optimizer)
        emitter = GPUTrainingEmitter(shape: try MLPShape(model), objective: objective, update: update, addressSpace: 1)
        let count = emitter.layout.parameterCount
        mirror = TrainingWorkspace(parameterCount: count, transposedCount: 0)
        try mirror.loadState(optimizer.savedState, keys: update.stateKeys)
        backend = try makeBackend(emitter)
        self.model = model
        self.regularization = regularization
        self.optimizer = optimizer
        stepCount = startStep
        for (buffer, state) in zip([GPUTrainingBuffer.state0, .state1, .state2], mirror.state) {
            try backend.write(Array(UnsafeBufferPointer(start: state, count: count)), to: buffer)
        }
        try syncToDevice()
    }

    /// Copies the model's parameters (its `storage`) to the backend.
    func syncToDevice() throws {
        try backend.write(model.storage.values, to: .parameters)
    }

    /// Copies the backend's parameters into the model's `storage`.
    func syncToHost() throws {
        let values = try backend.read(.parameters, count: parameterCount)
        _ = UnsafeMutableBufferPointer(start: model.storage.baseAddress, count: parameterCount).update(from: values)
    }

    /// One step on `batch` (see `DeviceTrainer.step(_:)`).
    func step(_ batch: TrainingBatch) throws -> TrainingProgress {
        let start = ContinuousClock.now
        try check(batch)
        let rate = optimizer.schedule.rate(at: stepCount)
        guard rate.isFinite else { throw MicrogradError.nonFiniteInput("learning rate at step \(stepCount)") }
        if maskGeneration != model.storage.learnableChanges {
            mirror.updateMask(from: model.parameters)
            try backend.write(Array(UnsafeBufferPointer(start: mirror.mask, count: parameterCount)), to: .mask)
            maskGeneration = model.storage.learnableChanges
        }
        if case let .adam(beta1, beta2, _, _, _) = emitter.update {
            mirror.prepareCommonCount(beta1: beta1, beta2: beta2)
            try backend.write(Array(UnsafeBufferPointer(start: mirror.common, count: 4)), to: .common)
        }
        try backend.load(batch, workCount: layout.workCount(rows: batch.count))
        let terms = Double(batch.count * layout.termsPerRow)
        let scalars = GPUTrainingScalars(
            rows: batch.count, rate: rate, alpha: regularization, inverseCount: 1.0 / terms)
        try backend.run(.row, threads: batch.count, scalars)
        try backend.run(.loss, threads: 1, scalars)
        let result = try backend.read(.result, count: 2)
        guard result[0].isFinite else {
            throw MicrogradError.nonFiniteInput("the loss at step \(stepCount) (\(result[0]))")
        }
        try backend.run(.gradient, threads: parameterCount, scalars)
        try backend.run(.update, threads: parameterCount, scalars)
        if case .adam = emitter.update {
            for index in 0..<parameterCount where mirror.mask[index] != 0 { mirror.state[2][index] += 1 }
        }
        let report = TrainingProgress(
            step: stepCount, loss: result[0], accuracy: result[1] / terms, learningRate: rate,
            duration: ContinuousClock.now - start)
        stepCount += 1
        return report
    }

    /// The checks of `CompiledTrainer.step` on the batch and the optimiser.
    private func check(_ batch: TrainingBatch) throws {
        guard batch.featureCount == model.inputCount else {
            throw MicrogradError.inputCountMismatch(expected: model.inputCount, given: batch.featureCount)
        }
        var isSoftmax = false
        if case .softmaxCrossEntropy = emitter.objective { isSoftmax = true }
        let targetsPerRow = isSoftmax ? 1 : model.outputCount
        guard batch.targetWidth == targetsPerRow else {
            throw MicrogradError.lengthMismatch(
                what: "targets per row", expected: targetsPerRow, given: batch.targetWidth)
        }
        if isSoftmax { try CompiledTrainer.checkClassLabels(batch.targets, classes: model.outputCount) }
        guard try CompiledUpdate(optimizer) == emitter.update else {
            throw MicrogradError.invalidArgument(
                "the optimiser's kind or hyperparameters changed since the step was compiled; compile a new trainer")
        }
    }
}
