/// One training step's report: the loss and accuracy before its update.
public struct TrainingProgress: Sendable, Equatable {
    /// The step number, from 0 (the index into the learning-rate schedule).
    public let step: Int
    /// The total loss (objective plus regularisation) before the update.
    public let loss: Double
    /// The fraction of rows classified correctly before the update.
    public let accuracy: Double
    /// The learning rate the update used.
    public let learningRate: Double
    /// The wall-clock time of the whole step (forward, backward and update).
    public let duration: Duration

    /// Creates a report (for trainers outside this module, such as the JIT's compiled trainer).
    public init(step: Int, loss: Double, accuracy: Double, learningRate: Double, duration: Duration) {
        self.step = step
        self.loss = loss
        self.accuracy = accuracy
        self.learningRate = learningRate
        self.duration = duration
    }
}

/// A full-batch training loop for an `MLP`: forward, loss, zero gradients, backward, update; as
/// in karpathy's demo.
///
/// The model has one output, except for `.softmaxCrossEntropy`, which takes one output per
/// class (targets are class indices). Any `Optimizer` can update it.
///
/// ```swift
/// let trainer = Trainer(model: model, objective: .hinge, regularization: 1e-4,
///                       optimizer: SGD(schedule: .linearDecay(steps: 100)))
/// try trainer.fit(dataset, steps: 100) { print($0.step, $0.loss, $0.accuracy) }
/// ```
public final class Trainer {
    /// The model being trained (its parameters are updated in place).
    public let model: MLP
    /// What is minimised.
    public var objective: Objective
    /// The L2 coefficient `alpha` of `alpha · Σ p²` added to the loss (0: none).
    public var regularization: Double
    /// The optimiser (its state, if it has any, lives here and changes at each step).
    public var optimizer: any Optimizer
    /// The number of updates made so far: the schedule step of the next update.
    public private(set) var stepCount = 0
    /// When true, each step differentiates with `backward(detectingAnomalies: true)`, so a step
    /// whose loss graph gives birth to a NaN or an infinity (in its values or its gradients)
    /// throws `MicrogradError.numericAnomaly` naming the node, before the update. Off by default:
    /// the check makes the backward pass several times slower.
    public var detectsAnomalies = false

    /// Creates a trainer; nothing is computed until ``fit(_:steps:progress:)`` or ``fitBatch(rows:targets:)``.
    public init(model: MLP, objective: Objective = .hinge, regularization: Double = 0, optimizer: any Optimizer) {
        self.model = model
        self.objective = objective
        self.regularization = regularization
        self.optimizer = optimizer
    }

    /// Trains on the whole data set for `steps` updates, calling `progress` after each.
    ///
    /// - Returns: every step's report, in order.
    /// - Throws: `MicrogradError` for a model that is not one-output (for an objective other than
    ///   `.softmaxCrossEntropy`), labels that are not class indices, rows of the wrong width, a
    ///   negative step count, or a loss that becomes NaN or infinite (training stops there);
    ///   with ``detectsAnomalies``, `.numericAnomaly` naming where a NaN or infinity was born.
    @discardableResult
    public func fit(
        _ dataset: Dataset, steps: Int, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> [TrainingProgress] {
        guard steps >= 0 else { throw MicrogradError.invalidArgument("the number of steps must not be negative, got \(steps)") }
        try checkModel()
        try dataset.checkWidth(forInputs: model.inputCount)
        // NOTE: the inputs are constant leaves, made once and reused by every step's graph.
        let inputs = dataset.rows.map { row in row.map { Value($0) } }
        var reports: [TrainingProgress] = []
        reports.reserveCapacity(steps)
        for _ in 0..<steps {
            let report = try step(inputs: inputs, targets: dataset.targets)
            reports.append(report)
            progress?(report)
        }
        return reports
    }

    /// Makes one update from a batch of rows and their targets (the Haskell port's `fitBatch`).
    ///
    /// - Throws: `MicrogradError` for an empty batch, mismatched lengths or non-finite numbers
    ///   (with ``detectsAnomalies``, `.numericAnomaly` where one was born in the graph).
    @discardableResult
    public func fitBatch(rows: [[Double]], targets: [Double]) throws -> TrainingProgress {
        let batch = try Dataset(rows: rows, targets: targets)
        try checkModel()
        try batch.checkWidth(forInputs: model.inputCount)
        return try step(inputs: batch.rows.map { row in row.map { Value($0) } }, targets: batch.targets)
    }

    /// The loss graph and the accuracy of the model on `dataset`, without updating anything.
    public func evaluate(_ dataset: Dataset) throws -> (loss: Value, accuracy: Double) {
        try checkModel()
        try dataset.checkWidth(forInputs: model.inputCount)
        return try lossAndAccuracy(inputs: dataset.rows.map { row in row.map { Value($0) } }, targets: dataset.targets)
    }

    /// Forward, loss, zero gradients, backward and update, timed.
    ///
    /// NOTE: with `detectsAnomalies` the anomaly check runs before the finiteness check of the
    /// loss, so a NaN loss is reported where it was born rather than only as a NaN loss (the
    /// gradients are then zeroed, the parameters unchanged).
    private func step(inputs: [[Value]], targets: [Double]) throws -> TrainingProgress {
        let start = ContinuousClock.now
        let (loss, accuracy) = try lossAndAccuracy(inputs: inputs, targets: targets)
        let parameters = model.parameters
        if detectsAnomalies {
            for parameter in parameters {
                parameter.grad = 0
            }
            try loss.backward(detectingAnomalies: true)
        }
        guard loss.data.isFinite else {
            throw MicrogradError.nonFiniteInput("the loss at step \(stepCount) (\(loss.data))")
        }
        if !detectsAnomalies {
            for parameter in parameters {
                parameter.grad = 0
            }
            loss.backward()
        }
        let rate = try optimizer.update(parameters, step: stepCount)
        let report = TrainingProgress(
            step: stepCount, loss: loss.data, accuracy: accuracy, learningRate: rate,
            duration: ContinuousClock.now - start)
        stepCount += 1
        return report
    }

    /// The total loss, summed as micrograd sums it: `objective + alpha · Σ p²`.
    private func lossAndAccuracy(inputs: [[Value]], targets: [Double]) throws -> (Value, Double) {
        if case .softmaxCrossEntropy = objective {
            return try multiclassLossAndAccuracy(inputs: inputs, targets: targets)
        }
        var scores: [Value] = []
        scores.reserveCapacity(inputs.count)
        var correct = 0
        for (row, target) in zip(inputs, targets) {
            let score = try model(row)[0]
            if objective.isCorrect(score: score.data, target: target) { correct += 1 }
            scores.append(score)
        }
        var loss = try objective.loss(scores: scores, targets: targets)
        if regularization != 0 {
            loss = loss + Loss.l2(model.parameters, alpha: regularization)
        }
        return (loss, Double(correct) / Double(inputs.count))
    }

    /// The softmax cross-entropy of every output, `+ alpha · Σ p²`, and the argmax accuracy.
    private func multiclassLossAndAccuracy(inputs: [[Value]], targets: [Double]) throws -> (Value, Double) {
        var outputs: [[Value]] = []
        outputs.reserveCapacity(inputs.count)
        var correct = 0
        for (row, target) in zip(inputs, targets) {
            let logits = try model(row)
            if objective.isCorrect(outputs: logits.map(\.data), target: target) { correct += 1 }
            outputs.append(logits)
        }
        var loss = try objective.loss(outputs: outputs, targets: targets)
        if regularization != 0 {
            loss = loss + Loss.l2(model.parameters, alpha: regularization)
        }
        return (loss, Double(correct) / Double(inputs.count))
    }
    private func checkModel() throws {
        if case .softmaxCrossEntropy = objective { return }
        guard model.outputCount == 1 else {
            throw MicrogradError.invalidArgument("the trainer needs a model with one output, this one has \(model.outputCount)")
        }
    }
}

extension Trainer {
    /// karpathy's two-moons recipe: hinge loss, L2 with alpha 1e-4, SGD with learning rate
    /// `1.0 - 0.9·k/steps`.
    public static func karpathyMoons(model: MLP, steps: Int = 100) -> Trainer {
        Trainer(
            model: model, objective: .hinge, regularization: 1e-4,
            optimizer: SGD(schedule: .linearDecay(initial: 1.0, decay: 0.9, steps: steps)))
    }
}

extension Trainer {
    /// The model, the step count and the optimiser's state, to save and continue later:
    /// `try trainer.checkpoint().write(to: url)`.
    public func checkpoint() -> Checkpoint {
        Checkpoint(model: model, step: stepCount, state: optimizer.savedState)
    }

    /// Continues from `checkpoint`: the model's parameters, the step count and the optimiser's
    /// state are set from it, so the following steps are those the saved trainer would have
    /// made (bit for bit).
    ///
    /// - Throws: `MicrogradError.badCheckpoint` when its architecture is not the model's;
    ///   `.invalidArgument` or `.lengthMismatch` when its state does not fit the optimiser.
    ///   Nothing is changed then.
    public func restore(from checkpoint: Checkpoint) throws {
        let expected = Checkpoint(model: model)
        guard checkpoint.inputCount == expected.inputCount, checkpoint.layerSizes == expected.layerSizes,
              checkpoint.activations == expected.activations, checkpoint.parameters.count == model.parameters.count
        else {
            throw MicrogradError.badCheckpoint(
                path: "<memory>",
                problem: .wrongShape("the checkpoint's network is not the trainer's model (\(checkpoint.inputCount) inputs, "
                    + "layers \(checkpoint.layerSizes); the model has \(expected.inputCount) inputs, layers \(expected.layerSizes))"))
        }
        guard checkpoint.step >= 0 else {
            throw MicrogradError.invalidArgument("the checkpoint's step is negative (\(checkpoint.step))")
        }
        var restored = optimizer
        try restored.restoreState(checkpoint.state, parameterCount: model.parameters.count)
        try model.loadParameters(checkpoint.parameters)
        optimizer = restored
        stepCount = checkpoint.step
    }
}
