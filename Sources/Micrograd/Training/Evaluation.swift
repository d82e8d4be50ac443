/// Batched evaluation of a trained model on plain numbers, without building graphs.
///
/// The arithmetic is the graph's, in the same order (bias first, then each weighted input,
/// then the activation), so a score here equals `model(row)[0].data` exactly.
public enum Evaluation {
    /// The outputs of `model` for each row (one array of `outputCount` numbers per row).
    ///
    /// - Throws: `MicrogradError.inputCountMismatch` naming the first row of the wrong width.
    public static func outputs(of model: MLP, rows: [[Double]]) throws -> [[Double]] {
        let weights = model.storage.values
        var results: [[Double]] = []
        results.reserveCapacity(rows.count)
        var current: [Double] = []
        var next: [Double] = []
        for row in rows {
            guard row.count == model.inputCount else {
                throw MicrogradError.inputCountMismatch(expected: model.inputCount, given: row.count)
            }
            current = row
            var offset = 0
            for layer in model.layers {
                let width = layer.inputCount
                next.removeAll(keepingCapacity: true)
                for _ in 0..<layer.outputCount {
                    var sum = weights[offset + width]
                    for i in 0..<width {
                        sum = sum + weights[offset + i] * current[i]
                    }
                    next.append(layer.activation.apply(sum))
                    offset += width + 1
                }
                swap(&current, &next)
            }
            results.append(current)
        }
        return results
    }

    /// The first output of `model` for each row (the score of a one-output classifier).
    public static func scores(of model: MLP, rows: [[Double]]) throws -> [Double] {
        try outputs(of: model, rows: rows).map { $0[0] }
    }

    /// The fraction of `dataset`'s rows whose score predicts the target's class under `objective`
    /// (the first output; for `.softmaxCrossEntropy`, the index of the largest of all outputs).
    public static func accuracy(of model: MLP, on dataset: Dataset, objective: Objective = .hinge) throws -> Double {
        if case .softmaxCrossEntropy = objective {
            return objective.accuracy(outputs: try outputs(of: model, rows: dataset.rows), targets: dataset.targets)
        }
        return objective.accuracy(scores: try scores(of: model, rows: dataset.rows), targets: dataset.targets)
    }
}
