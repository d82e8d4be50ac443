import Micrograd

/// Rows and targets laid out for the compiled trainer: the rows flattened into one contiguous
/// buffer, checked once, reusable for any number of steps.
///
/// ```swift
/// let batch = try TrainingBatch(rows: [[0, 1], [1, 0]], targets: [1, -1])
/// try trainer.step(batch)
/// ```
public struct TrainingBatch: Sendable {
    /// The rows, one after the other (`count · featureCount` numbers).
    let flatRows: [Double]
    /// The targets, `targetWidth` per row, one row after the other.
    let targets: [Double]
    /// The number of rows (at least 1).
    public let count: Int
    /// The width of every row.
    public let featureCount: Int
    /// The number of targets per row (the model's outputs): 1 for a `Dataset`.
    public let targetWidth: Int

    /// A batch of a data set's rows (already checked when the data set was made).
    public init(_ dataset: Dataset) {
        flatRows = Array(dataset.rows.joined())
        targets = dataset.targets
        count = dataset.count
        featureCount = dataset.featureCount
        targetWidth = 1
    }

    /// A batch of rows and targets, checked.
    ///
    /// - Throws: `MicrogradError.emptyBatch` without rows, `.lengthMismatch` when rows differ in
    ///   width or the targets do not match the rows, `.nonFiniteInput` for NaN or infinity.
    public init(rows: [[Double]], targets: [Double]) throws {
        self.init(try Dataset(rows: rows, targets: targets))
    }

    /// A batch for a model of several outputs: one row of targets per input row.
    ///
    /// Each output is its own term of the loss (for example one-vs-rest hinge terms).
    ///
    /// - Throws: as ``init(rows:targets:)``, and `.lengthMismatch` when the target rows differ
    ///   in width.
    public init(rows: [[Double]], targetRows: [[Double]]) throws {
        guard targetRows.count == rows.count else {
            throw MicrogradError.lengthMismatch(what: "target rows", expected: rows.count, given: targetRows.count)
        }
        let width = targetRows.first?.count ?? 1
        for (index, row) in targetRows.enumerated() where row.count != width {
            throw MicrogradError.lengthMismatch(what: "target row \(index)", expected: width, given: row.count)
        }
        // The data set checks the inputs, and the flattened targets for finiteness.
        let checked = try Dataset(rows: rows, targets: targetRows.map { $0.first ?? 0 })
        if let row = targetRows.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
            throw MicrogradError.nonFiniteInput("target row \(row)")
        }
        flatRows = Array(checked.rows.joined())
        targets = Array(targetRows.joined())
        count = checked.count
        featureCount = checked.featureCount
        targetWidth = width
    }
}
