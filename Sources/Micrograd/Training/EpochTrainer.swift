/// One epoch's summary, from ``EpochTrainer``.
public struct EpochReport: Sendable, Equatable {
    /// The epoch number, from 1.
    public let epoch: Int
    /// The mean of the minibatch losses of the epoch (each taken before its update), weighted
    /// by the batch sizes: the mean loss per row while the epoch ran.
    public let meanLoss: Double
    /// The fraction of the training rows classified correctly after the epoch.
    public let trainAccuracy: Double
    /// The mean softmax cross-entropy on the test rows after the epoch (nil without a test set).
    public let testLoss: Double?
    /// The fraction of the test rows classified correctly after the epoch (nil without a test set).
    public let testAccuracy: Double?
    /// The number of updates the epoch made.
    public let batchCount: Int
    /// The wall-clock time of the epoch's updates (the evaluations after it are not counted).
    public let duration: Duration

    /// Creates a report (for loops outside this module).
    public init(epoch: Int, meanLoss: Double, trainAccuracy: Double, testLoss: Double?, testAccuracy: Double?,
                batchCount: Int, duration: Duration) {
        self.epoch = epoch
        self.meanLoss = meanLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.batchCount = batchCount
        self.duration = duration
    }
}

/// Minibatch training of a classifier over epochs: each epoch shuffles the training rows
/// with the seed (``Dataset/batches(of:shuffledWith:epoch:keepingPartialBatch:)``), makes one
/// update per minibatch and then measures the accuracy on the training and test sets.
///
/// The update itself is a closure, so the interpreter's `Trainer.fitBatch(rows:targets:)` and
/// the JIT's compiled trainer drive the same loop with the same batches:
///
/// ```swift
/// let model = MLP(inputs: 64, layers: [32, 10], seed: 1)
/// let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.01))
/// let loop = try EpochTrainer(batchSize: 32, seed: 1)
/// let digits = try Digits.bundled()
/// let reports = try loop.fit(epochs: 10, model: model, train: digits.train, test: digits.test) {
///     try trainer.fitBatch(rows: $0.rows, targets: $0.targets)
/// }
/// ```
public struct EpochTrainer: Sendable {
    /// The rows per minibatch (the last batch of an epoch may be smaller).
    public let batchSize: Int
    /// The seed of the per-epoch shuffles.
    public let seed: UInt64

    /// Creates a loop.
    ///
    /// - Throws: `MicrogradError.invalidArgument` for a batch size below 1.
    public init(batchSize: Int, seed: UInt64) throws {
        guard batchSize >= 1 else {
            throw MicrogradError.invalidArgument("the batch size must be at least 1, got \(batchSize)")
        }
        self.batchSize = batchSize
        self.seed = seed
    }

    /// Runs `epochs` epochs (numbered from 1), calling `epochDone` after each.
    ///
    /// - Parameters:
    ///   - epochs: The number of epochs, at least 0.
    ///   - model: The model the updates train (read to measure the accuracies).
    ///   - train: The training rows, with class indices as targets.
    ///   - test: The test rows, or nil.
    ///   - batchDone: Called after each update with the epoch, the batches done and the batch count.
    ///   - epochDone: Called with each epoch's report.
    ///   - update: Makes one update from a minibatch and reports its loss (before the update).
    /// - Returns: Every epoch's report, in order.
    /// - Throws: `MicrogradError.invalidArgument` for a negative epoch count, and whatever
    ///   `update` or the evaluation throws (training stops there).
    @discardableResult
    public func fit(
        epochs: Int, model: MLP, train: Dataset, test: Dataset?,
        batchDone: ((_ epoch: Int, _ done: Int, _ total: Int) -> Void)? = nil,
        epochDone: ((EpochReport) -> Void)? = nil,
        update: (Dataset) throws -> TrainingProgress
    ) throws -> [EpochReport] {
        guard epochs >= 0 else {
            throw MicrogradError.invalidArgument("the number of epochs must not be negative, got \(epochs)")
        }
        var reports: [EpochReport] = []
        for epoch in stride(from: 1, through: epochs, by: 1) {
            let report = try runEpoch(
                epoch, model: model, train: train, test: test,
                batchDone: batchDone.map { done in { done(epoch, $0, $1) } }, update: update)
            reports.append(report)
            epochDone?(report)
        }
        return reports
    }

    /// Runs one epoch: the shuffled minibatches of `epoch`, one update each, then the accuracy
    /// on both sets (and the test loss).
    ///
    /// - Throws: As ``fit(epochs:model:train:test:batchDone:epochDone:update:)``.
    public func runEpoch(
        _ epoch: Int, model: MLP, train: Dataset, test: Dataset?,
        batchDone: ((_ done: Int, _ total: Int) -> Void)? = nil,
        update: (Dataset) throws -> TrainingProgress
    ) throws -> EpochReport {
        let batches = try train.batches(of: batchSize, shuffledWith: seed, epoch: epoch)
        let start = ContinuousClock.now
        var lossSum = 0.0
        for (index, batch) in batches.enumerated() {
            let progress = try update(batch)
            lossSum += progress.loss * Double(batch.count)
            batchDone?(index + 1, batches.count)
        }
        let duration = ContinuousClock.now - start
        let objective = Objective.softmaxCrossEntropy
        let trainAccuracy = try Evaluation.accuracy(of: model, on: train, objective: objective)
        var testLoss: Double?
        var testAccuracy: Double?
        if let test {
            let outputs = try Evaluation.outputs(of: model, rows: test.rows)
            testLoss = try Evaluation.meanCrossEntropy(outputs: outputs, targets: test.targets)
            testAccuracy = objective.accuracy(outputs: outputs, targets: test.targets)
        }
        return EpochReport(
            epoch: epoch, meanLoss: lossSum / Double(train.count), trainAccuracy: trainAccuracy,
            testLoss: testLoss, testAccuracy: testAccuracy, batchCount: batches.count, duration: duration)
    }
}
