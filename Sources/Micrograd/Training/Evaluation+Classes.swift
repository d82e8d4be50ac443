import Foundation

/// Classifier evaluation on plain numbers: predicted classes, cross-entropy and confusion matrix.
extension Evaluation {
    /// The mean softmax cross-entropy of rows of logits against class indices held as numbers:
    /// the value `Loss.softmaxCrossEntropy(logits:labels:)` would compute, without a graph.
    ///
    /// Each row's term is `log(Σ_j exp(z_j - m)) - (z_label - m)` with `m` its largest logit.
    ///
    /// - Throws: `MicrogradError.emptyBatch` for no rows or a row without logits,
    ///   `.lengthMismatch` for a wrong number of targets, `.nonFiniteInput` or
    ///   `.invalidArgument` for a target that is not a class index of its row.
    public static func meanCrossEntropy(outputs: [[Double]], targets: [Double]) throws -> Double {
        guard !outputs.isEmpty else { throw MicrogradError.emptyBatch }
        guard targets.count == outputs.count else {
            throw MicrogradError.lengthMismatch(what: "targets", expected: outputs.count, given: targets.count)
        }
        var total = 0.0
        for (row, (logits, target)) in zip(outputs, targets).enumerated() {
            guard let largest = logits.max() else { throw MicrogradError.emptyBatch }
            let label = try Loss.classIndex(target, row: row)
            guard label < logits.count else {
                throw MicrogradError.invalidArgument(
                    "label \(row) is \(label), not an index of the \(logits.count) outputs")
            }
            var sum = 0.0
            for logit in logits { sum += Foundation.exp(logit - largest) }
            total += Foundation.log(sum) - (logits[label] - largest)
        }
        return total / Double(outputs.count)
    }

    /// The predicted class of each row of `rows` (the index of the largest output, the first
    /// on a tie).
    ///
    /// - Throws: `MicrogradError.inputCountMismatch` for a row of the wrong width, and
    ///   `.nonFiniteInput` naming the first row whose outputs hold a NaN (no class is predicted).
    public static func predictedClasses(of model: MLP, rows: [[Double]]) throws -> [Int] {
        try outputs(of: model, rows: rows).enumerated().map { row, outputs in
            guard let predicted = Loss.predictedClass(outputs) else {
                throw MicrogradError.nonFiniteInput("the model's outputs for row \(row)")
            }
            return predicted
        }
    }

    /// The confusion matrix of `model` on a classification data set: rows the true classes,
    /// columns the predicted ones.
    ///
    /// - Throws: `MicrogradError.invalidArgument` when the data set has no class labels or its
    ///   class count differs from the model's output count, and the errors of
    ///   ``predictedClasses(of:rows:)``.
    public static func confusionMatrix(of model: MLP, on dataset: Dataset) throws -> ConfusionMatrix {
        guard let labels = dataset.classLabels, let classCount = dataset.classCount else {
            throw MicrogradError.invalidArgument("the data set has no class labels")
        }
        guard classCount == model.outputCount else {
            throw MicrogradError.invalidArgument(
                "the model has \(model.outputCount) outputs, but the data set has \(classCount) classes")
        }
        let predicted = try predictedClasses(of: model, rows: dataset.rows)
        return try ConfusionMatrix(predicted: predicted, actual: labels, classCount: classCount)
    }
}
