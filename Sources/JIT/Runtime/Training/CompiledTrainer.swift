import Micrograd

/// An MLP's training step compiled to native code: one call runs the forward pass over every
/// row, the loss, the backward pass and the parameter update (SGD, `MomentumSGD`, `Adam` or
/// `AdamW`, the optimiser's state kept in buffers), and reports loss and accuracy.
///
/// The parameters are the MLP's own `storage`, updated in place, so after training the MLP's
/// `Value`s hold the trained weights and the interpreter sees them. Parameters whose
/// `isLearnable` is false are left unchanged (read at every step).
///
/// ```swift
/// let trainer = try CompiledTrainer(model: model, objective: .hinge, regularization: 1e-4,
///                                   optimizer: SGD(schedule: .linearDecay(steps: 100)))
/// try trainer.fit(dataset, steps: 100) { print($0.step, $0.loss, $0.accuracy) }
/// ```
///
/// In Float64 each step computes what the interpreter's `Trainer` computes, in its order
/// (see `TrainingEmitter`), so losses and parameters match it to rounding.
///
/// Thread safety: not thread-safe (it updates the model and its own buffers); use one
/// trainer from one thread at a time.
public final class CompiledTrainer {
    /// The model being trained (its parameters are updated in place).
    public let model: MLP
    /// What is minimised (compiled in).
    public let objective: Objective
    /// The L2 coefficient `alpha` of `alpha · Σ p²` added to the loss (0: none).
    public var regularization: Double
    /// The optimiser; its schedule gives each step's rate. Its kind and hyperparameters are
    /// compiled in: a step throws `MicrogradError.invalidArgument` if they have changed since.
    public var optimizer: any Optimizer
    /// The options the step was compiled with.
    public let options: JITOptions
    /// The number of updates made so far: the schedule step of the next update (set it to
    /// restart or resume the schedule).
    public var stepCount: Int
    /// The wall-clock time emission, optimisation and code generation took.
    public let compileDuration: Duration
    /// When true, each step checks that its loss and every parameter after the update are
    /// finite, and otherwise throws `JITError.nonFiniteTraining` naming the step and the first
    /// non-finite parameter's index; the parameters are then restored to their values before
    /// the step, which is not counted. Off by default: it copies and scans the parameters at
    /// every step (O(parameters), small beside the step itself for batches of many rows).
    public var detectsAnomalies = false
    /// The most threads a step may use (nil: every active core). Small batches run on the
    /// calling thread whatever this says.
    public var threads: Int?

    let layout: TrainingLayout
    let update: CompiledUpdate
    /// `MomentumSGD`'s update count (for its saved state): the optimiser's own at compilation
    /// or restoring, plus the compiled steps since.
    private var momentumUpdates: Int
    /// Whether the state buffers hold state (from the optimiser, a checkpoint or a step).
    private var hasState: Bool
    /// The storage's `learnableChanges` when the mask was last read (nil: never).
    private var maskGeneration: UInt64?
    let workspace: TrainingWorkspace
    private let code: NativeCode
    let phases: TrainingPhases

    /// Compiles the training step of `model` for `objective`.
    ///
    /// A model of several outputs gets one loss term per row and output (see
    /// ``TrainingBatch/init(rows:targetRows:)``); the accuracy is then the fraction of those
    /// terms predicted correctly. With `.softmaxCrossEntropy` each row has one term over all
    /// outputs and one target, its class index.
    ///
    /// The optimiser's state (momentum buffers, Adam's moments and step counts) starts from the
    /// optimiser's own, so a trainer can continue an interpreted `Trainer`; from then on it is
    /// kept in the compiled trainer's buffers.
    ///
    /// - Parameters:
    ///   - model: the MLP to train; its parameters (its `storage`) are updated in place.
    ///   - objective: what is minimised (compiled into the step).
    ///   - regularization: the L2 coefficient `alpha` of `alpha · Σ p²` (0: none).
    ///   - optimizer: `SGD`, `MomentumSGD`, `Adam` or `AdamW`; its schedule gives each step's rate.
    ///   - options: how to compile; the precision must be `.float64`.
    ///   - startStep: the schedule step of the first update (to continue a `Trainer`).
    /// - Throws: `MicrogradError.invalidArgument` for `.float32` (compiled training computes in
    ///   Float64) or a hyperparameter out of range; `JITError.unsupportedOperation` for another
    ///   optimiser; `JITError` if LLVM fails.
    public init(
        model: MLP, objective: Objective = .hinge, regularization: Double = 0, optimizer: any Optimizer,
        options: JITOptions = .default, startStep: Int = 0
    ) throws {
        guard options.precision == .float64 else {
            throw MicrogradError.invalidArgument("compiled training computes in Float64 only, not \(options.precision.rawValue)")
        }
        let update = try CompiledUpdate(optimizer)
        let layout = try Self.layout(model, objective: objective, options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let prepare = TrainingEmitter.Phase.prepare.symbol
        code = try Compiler.compile(named: "training", entry: prepare, options: options, pipeline: .loops) { module in
            try TrainingEmitter.emit(layout, objective: objective, update: update, into: module)
        }
        phases = try TrainingPhases(code)
        compileDuration = clock.now - start
        self.layout = layout
        self.update = update
        self.model = model
        self.objective = objective
        self.regularization = regularization
        self.optimizer = optimizer
        self.options = options
        self.stepCount = startStep
        workspace = TrainingWorkspace(parameterCount: layout.parameterCount, transposedCount: layout.transposedCount)
        try workspace.loadState(optimizer.savedState, keys: update.stateKeys)
        momentumUpdates = (optimizer as? MomentumSGD)?.updateCount ?? 0
        hasState = !optimizer.savedState.isEmpty
    }

    /// Runs one step on `batch`: forward, loss, backward and update, in one native call.
    ///
    /// - Returns: the loss and accuracy before the update, the rate used and the step's time.
    /// - Throws: `MicrogradError.inputCountMismatch` for rows of the wrong width, `.lengthMismatch`
    ///   for a number of targets per row other than the model's outputs;
    ///   `.nonFiniteInput` for a non-finite learning rate or loss (the parameters are then
    ///   left unchanged and the step is not counted); with ``detectsAnomalies``,
    ///   `JITError.nonFiniteTraining` instead for a non-finite loss or updated parameter (the
    ///   parameters are then left as before the step, which is not counted).
    @discardableResult
    public func step(_ batch: TrainingBatch) throws -> TrainingProgress {
        let start = ContinuousClock.now
        guard batch.featureCount == model.inputCount else {
            throw MicrogradError.inputCountMismatch(expected: model.inputCount, given: batch.featureCount)
        }
        let isSoftmax: Bool
        if case .softmaxCrossEntropy = objective { isSoftmax = true } else { isSoftmax = false }
        let targetsPerRow = isSoftmax ? 1 : model.outputCount
        guard batch.targetWidth == targetsPerRow else {
            throw MicrogradError.lengthMismatch(what: "targets per row", expected: targetsPerRow, given: batch.targetWidth)
        }
        if isSoftmax { try Self.checkClassLabels(batch.targets, classes: model.outputCount) }
        guard try CompiledUpdate(optimizer) == update else {
            throw MicrogradError.invalidArgument(
                "the optimiser's kind or hyperparameters changed since the step was compiled; compile a new trainer")
        }
        let rate = optimizer.schedule.rate(at: stepCount)
        guard rate.isFinite else { throw MicrogradError.nonFiniteInput("learning rate at step \(stepCount)") }
        // NOTE (speed): reading 2,410 parameters' flags was a seventh of a digits step; the
        // storage counts flag changes, so the mask is read again only after one.
        if maskGeneration != model.storage.learnableChanges {
            workspace.updateMask(from: model.parameters)
            maskGeneration = model.storage.learnableChanges
        }
        workspace.reserveWork(layout.workCount(rows: batch.count))
        let termCount = Double(batch.count * (isSoftmax ? 1 : layout.outputCount))
        let before = detectsAnomalies ? Array(parameterBuffer) : []
        if case let .adam(beta1, beta2, _, _, _) = update { workspace.prepareCommonCount(beta1: beta1, beta2: beta2) }
        let loss = run(batch, rate: rate, inverseCount: 1.0 / termCount)
        if detectsAnomalies { try checkFinite(loss: loss, rate: rate, restoring: before) }
        guard loss.isFinite else {
            throw MicrogradError.nonFiniteInput("the loss at step \(stepCount) (\(loss))")
        }
        let report = TrainingProgress(
            step: stepCount, loss: loss, accuracy: workspace.result[1] / termCount,
            learningRate: rate, duration: ContinuousClock.now - start)
        stepCount += 1
        momentumUpdates += 1
        hasState = true
        return report
    }

    /// With ``detectsAnomalies``: throws `JITError.nonFiniteTraining` for a non-finite loss or
    /// parameter, after restoring the parameters to `before`.
    private func checkFinite(loss: Double, rate: Double, restoring before: [Double]) throws {
        guard loss.isFinite else {
            // The compiled step leaves the parameters unchanged when the loss is not finite.
            throw JITError.nonFiniteTraining(step: stepCount, parameterIndex: nil, detail: "is \(loss)")
        }
        let parameters = parameterBuffer
        guard let index = parameters.firstIndex(where: { !$0.isFinite }) else { return }
        let value = parameters[index], gradient = workspace.gradients[index]
        _ = parameters.update(from: before)
        throw JITError.nonFiniteTraining(
            step: stepCount, parameterIndex: index,
            detail: "became \(value) (it was \(before[index]), gradient \(gradient), learning rate \(rate))")
    }

    /// The model's parameters, in `parameters` order, where the compiled step updates them.
    private var parameterBuffer: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: model.storage.baseAddress, count: layout.parameterCount)
    }

    /// The gradient of the last step's loss by each parameter (in `parameters` order), as
    /// `backward()` would have left it in the parameters' `grad`.
    public var gradient: [Double] {
        Array(UnsafeBufferPointer(start: workspace.gradients, count: layout.parameterCount))
    }

    /// The LLVM IR of the step's functions, after optimisation (what runs) or before.
    public func ir(optimized: Bool = true) throws -> String {
        let layout = layout, objective = objective, update = update
        return try Compiler.ir(named: "training", options: options, optimized: optimized, pipeline: .loops) { module in
            try TrainingEmitter.emit(layout, objective: objective, update: update, into: module)
        }
    }

    /// Throws unless every target is a class index of the model's outputs (a whole number in
    /// `0..<classes`), as `Loss.softmaxCrossEntropy` requires (the GPU trainer checks the same).
    static func checkClassLabels(_ labels: [Double], classes: Int) throws {
        for (row, label) in labels.enumerated() {
            guard label.isFinite else { throw MicrogradError.nonFiniteInput("label \(row)") }
            guard label >= 0, label == label.rounded(), label < Double(classes) else {
                throw MicrogradError.invalidArgument(
                    "label \(row) is \(label), not a class index of the \(classes) outputs")
            }
        }
    }
}

extension CompiledTrainer {
    /// The optimiser's state as the interpreter's optimiser would save it (`Optimizer.savedState`),
    /// read from the compiled step's buffers.
    public var optimizerState: [String: [Double]] {
        guard hasState else { return [:] }
        var saved: [String: [Double]] = [:]
        for (index, key) in update.stateKeys.enumerated() {
            saved[key] = Array(UnsafeBufferPointer(start: workspace.state[index], count: layout.parameterCount))
        }
        if case .momentum = update { saved["momentum.updates"] = [Double(momentumUpdates)] }
        return saved
    }

    /// The model, the step count and the optimiser's state, to save and continue later (with
    /// this or an interpreted `Trainer`).
    public func checkpoint() -> Checkpoint {
        Checkpoint(model: model, step: stepCount, state: optimizerState)
    }

    /// Continues from `checkpoint` (saved by this, another compiled or an interpreted trainer):
    /// the parameters, the step count and the optimiser's state are set from it.
    ///
    /// - Throws: as `Trainer.restore(from:)`; nothing is changed then.
    public func restore(from checkpoint: Checkpoint) throws {
        let interpreted = Trainer(model: model, objective: objective, regularization: regularization, optimizer: optimizer)
        let saved = Checkpoint(model: model)
        try interpreted.restore(from: checkpoint)   // checks, then sets the model's parameters
        do {
            try workspace.loadState(interpreted.optimizer.savedState, keys: update.stateKeys)
        } catch {
            try? model.loadParameters(saved.parameters)
            throw error
        }
        momentumUpdates = (interpreted.optimizer as? MomentumSGD)?.updateCount ?? 0
        hasState = !checkpoint.state.isEmpty
        stepCount = checkpoint.step
    }
}
