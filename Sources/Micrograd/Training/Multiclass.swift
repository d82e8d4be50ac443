import Foundation

extension Loss {
    /// The softmax cross-entropy of one row's `logits` against the class index `label`:
    /// `log(Σ_j exp(z_j)) - z_label`, PyTorch's `cross_entropy` for one sample.
    ///
    /// Built from engine ops as `log(Σ_j exp(z_j - m)) - (z_label - m)`, with `m` the largest
    /// logit taken as a constant, so `exp` only sees arguments ≤ 0 and the sum is at least 1:
    /// the value and the gradients (`softmax(z) - onehot(label)`) are finite for logits of any
    /// finite size, ±1000 included.
    ///
    /// NOTE: subtracting a constant does not change the loss or its gradient (it cancels
    /// exactly in the formula), and each node's partial is exact, so nothing is approximated;
    /// `z_label - m` is subtracted before the log's sum is added back, so a large `m` never
    /// cancels against itself.
    ///
    /// - Parameters:
    ///   - logits: the row's scores, one per class.
    ///   - label: the index of the true class, in `0..<logits.count`.
    /// - Throws: `MicrogradError.emptyBatch` without logits, `.invalidArgument` for a label out
    ///   of range.
    public static func softmaxCrossEntropy(logits: [Value], label: Int) throws -> Value {
        guard !logits.isEmpty else { throw MicrogradError.emptyBatch }
        guard logits.indices.contains(label) else {
            throw MicrogradError.invalidArgument(
                "the class label \(label) is not an index of the \(logits.count) logits (0..<\(logits.count))")
        }
        let shifted = shiftedByMaximum(logits)
        let exponentials = shifted.map { $0.exp() }
        return exponentials.sum().log() - shifted[label]
    }

    /// The mean softmax cross-entropy of several rows: `rows[i]` are row i's logits and
    /// `labels[i]` its class index, held as a `Double` (as a `Dataset` holds targets).
    ///
    /// The mean is `sum · (1 / n)`, as the other losses take it.
    ///
    /// - Throws: `MicrogradError.emptyBatch` for no rows or a row without logits,
    ///   `.lengthMismatch` for a wrong number of labels, `.nonFiniteInput` for a non-finite
    ///   label, `.invalidArgument` for a label that is not a whole class index of its row.
    public static func softmaxCrossEntropy(logits rows: [[Value]], labels: [Double]) throws -> Value {
        guard !rows.isEmpty else { throw MicrogradError.emptyBatch }
        guard labels.count == rows.count else {
            throw MicrogradError.lengthMismatch(what: "labels", expected: rows.count, given: labels.count)
        }
        var terms: [Value] = []
        terms.reserveCapacity(rows.count)
        for (index, (logits, label)) in zip(rows, labels).enumerated() {
            terms.append(try softmaxCrossEntropy(logits: logits, label: classIndex(label, row: index)))
        }
        return mean(terms)
    }

    /// The softmax `exp(z_i) / Σ_j exp(z_j)` of `logits` as graph values (empty for none).
    ///
    /// Computed as `exp(z_i - m) / Σ_j exp(z_j - m)` with `m` the largest logit as a constant:
    /// the same numbers and gradients, without overflow.
    public static func softmax(_ logits: [Value]) -> [Value] {
        guard !logits.isEmpty else { return [] }
        let exponentials = shiftedByMaximum(logits).map { $0.exp() }
        let total = exponentials.sum()
        return exponentials.map { $0 / total }
    }

    /// The softmax `exp(z_i) / Σ_j exp(z_j)` of plain numbers (empty for none), computed as
    /// ``softmax(_:)-([Value])`` computes it, so both give the same numbers.
    ///
    /// A NaN logit makes every probability NaN, as does a `+infinity` one (PyTorch's softmax
    /// gives the same).
    public static func softmax(_ logits: [Double]) -> [Double] {
        guard let largest = logits.max() else { return [] }
        // NOTE: NaN compares false with everything, so `max()` may skip it: propagate it here.
        if logits.contains(where: \.isNaN) { return logits.map { _ in .nan } }
        let exponentials = logits.map { Foundation.exp($0 - largest) }
        var total = 0.0
        for e in exponentials { total += e }
        return exponentials.map { $0 / total }
    }

    /// The predicted class of one row's outputs: the index of the largest, the first one on a
    /// tie (as `torch.argmax` and NumPy's `argmax`); nil without outputs or when any output is
    /// NaN (no class is then predicted, so the prediction never counts as correct).
    public static func predictedClass(_ outputs: [Double]) -> Int? {
        guard !outputs.isEmpty, !outputs.contains(where: \.isNaN) else { return nil }
        var best = 0
        for index in outputs.indices.dropFirst() where outputs[index] > outputs[best] {
            best = index
        }
        return best
    }

    /// `z_i - m` for the largest `m` of the logits' values (a constant: no gradient flows to it).
    private static func shiftedByMaximum(_ logits: [Value]) -> [Value] {
        // NOTE: with a NaN logit, `max` may be any value; the NaN still reaches the sum (and the
        // loss) through its own term, so the result is NaN as it should be.
        let largest = logits.map(\.data).max() ?? 0
        return logits.map { $0 - largest }
    }

    /// A class label held as a `Double`, as an index; throws unless it is a whole number ≥ 0.
    static func classIndex(_ label: Double, row: Int) throws -> Int {
        guard label.isFinite else { throw MicrogradError.nonFiniteInput("label \(row)") }
        guard label >= 0, label == label.rounded(), label < Double(Int32.max) else {
            throw MicrogradError.invalidArgument("label \(row) is \(label), not a class index (a whole number ≥ 0)")
        }
        return Int(label)
    }
}
