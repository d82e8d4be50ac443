/// What a `Trainer` minimises, and how it counts a prediction as correct.
public enum Objective: Sendable {
    /// The hinge loss for targets -1 and +1; a score is correct when its sign matches.
    case hinge
    /// The mean squared error; a prediction is correct when it falls on the same side of
    /// `threshold` as its target (0 for ±1 targets, 0.5 for 0/1 targets).
    case meanSquaredError(threshold: Double)
    /// Binary cross-entropy from logits, targets in [0, 1]; correct when `score > 0` exactly
    /// when `target > 0.5`.
    case binaryCrossEntropy
    /// Softmax cross-entropy over all of a model's outputs (one logit per class), each target
    /// a class index (0, 1, 2, ... held as a `Double`); see `Loss.softmaxCrossEntropy`.
    ///
    /// A prediction is correct when the largest output's index is the target; on a tie the
    /// first largest output is the prediction (as `torch.argmax`), and a row with a NaN output
    /// predicts no class, so it is never correct.
    case softmaxCrossEntropy

    /// The loss of `scores` (one output per row) against `targets`.
    ///
    /// For ``softmaxCrossEntropy`` each score is a row's only logit, so the loss is 0 for
    /// label 0 and any other label throws; use ``loss(outputs:targets:)`` for several classes.
    public func loss(scores: [Value], targets: [Double]) throws -> Value {
        switch self {
        case .hinge: try Loss.hinge(scores: scores, targets: targets)
        case .meanSquaredError: try Loss.meanSquaredError(predictions: scores, targets: targets)
        case .binaryCrossEntropy: try Loss.binaryCrossEntropy(logits: scores, targets: targets)
        case .softmaxCrossEntropy: try Loss.softmaxCrossEntropy(logits: scores.map { [$0] }, labels: targets)
        }
    }

    /// The loss of each row's `outputs` against `targets`: all outputs for
    /// ``softmaxCrossEntropy``, the only one for the other objectives.
    ///
    /// - Throws: as the loss does; `MicrogradError.invalidArgument` when an objective other than
    ///   ``softmaxCrossEntropy`` is given rows of more or fewer than one output.
    public func loss(outputs: [[Value]], targets: [Double]) throws -> Value {
        if case .softmaxCrossEntropy = self {
            return try Loss.softmaxCrossEntropy(logits: outputs, labels: targets)
        }
        if let index = outputs.firstIndex(where: { $0.count != 1 }) {
            throw MicrogradError.invalidArgument(
                "\(self) needs one output per row, row \(index) has \(outputs[index].count)")
        }
        return try loss(scores: outputs.map { $0[0] }, targets: targets)
    }

    /// True when `score` (a model's only output) predicts the class of `target`.
    ///
    /// For ``softmaxCrossEntropy`` a single output always predicts class 0 (unless it is NaN).
    public func isCorrect(score: Double, target: Double) -> Bool {
        switch self {
        case .hinge: (score > 0) == (target > 0)
        case .meanSquaredError(let threshold): (score > threshold) == (target > threshold)
        case .binaryCrossEntropy: (score > 0) == (target > 0.5)
        case .softmaxCrossEntropy: isCorrect(outputs: [score], target: target)
        }
    }

    /// True when a row's `outputs` predict the class of `target`: the index of the largest
    /// output equals the target for ``softmaxCrossEntropy`` (see there for ties and NaN); for
    /// the other objectives there must be exactly one output, judged by
    /// ``isCorrect(score:target:)``.
    public func isCorrect(outputs: [Double], target: Double) -> Bool {
        if case .softmaxCrossEntropy = self {
            guard let predicted = Loss.predictedClass(outputs) else { return false }
            return Double(predicted) == target
        }
        return outputs.count == 1 && isCorrect(score: outputs[0], target: target)
    }

    /// The fraction of `scores` that predict their target's class.
    public func accuracy(scores: [Double], targets: [Double]) -> Double {
        guard !scores.isEmpty else { return 0 }
        var correct = 0
        for (score, target) in zip(scores, targets) where isCorrect(score: score, target: target) {
            correct += 1
        }
        return Double(correct) / Double(scores.count)
    }

    /// The fraction of rows whose `outputs` predict their target's class
    /// (see ``isCorrect(outputs:target:)``); 0 without rows.
    public func accuracy(outputs: [[Double]], targets: [Double]) -> Double {
        guard !outputs.isEmpty else { return 0 }
        var correct = 0
        for (row, target) in zip(outputs, targets) where isCorrect(outputs: row, target: target) {
            correct += 1
        }
        return Double(correct) / Double(outputs.count)
    }
}
