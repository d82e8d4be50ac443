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

    /// The loss of `scores` against `targets`.
    public func loss(scores: [Value], targets: [Double]) throws -> Value {
        switch self {
        case .hinge: try Loss.hinge(scores: scores, targets: targets)
        case .meanSquaredError: try Loss.meanSquaredError(predictions: scores, targets: targets)
        case .binaryCrossEntropy: try Loss.binaryCrossEntropy(logits: scores, targets: targets)
        }
    }

    /// True when `score` predicts the class of `target`.
    public func isCorrect(score: Double, target: Double) -> Bool {
        switch self {
        case .hinge: (score > 0) == (target > 0)
        case .meanSquaredError(let threshold): (score > threshold) == (target > threshold)
        case .binaryCrossEntropy: (score > 0) == (target > 0.5)
        }
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
}
