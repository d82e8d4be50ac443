/// Rows of inputs with one target each, checked once when made.
///
/// A data set is never empty, all its rows have the same width, there is one target per row
/// and every number is finite; the initialiser throws a `MicrogradError` otherwise.
public struct Dataset: Sendable {
    /// The input rows.
    public let rows: [[Double]]
    /// One target per row (for example -1 or +1 for the hinge loss).
    public let targets: [Double]

    /// Creates a data set, checking its shape and numbers.
    ///
    /// - Throws: `MicrogradError.emptyBatch` without rows, `.lengthMismatch` when rows differ in
    ///   width or the targets do not match the rows, `.nonFiniteInput` for NaN or infinity.
    public init(rows: [[Double]], targets: [Double]) throws {
        guard let first = rows.first else { throw MicrogradError.emptyBatch }
        guard targets.count == rows.count else {
            throw MicrogradError.lengthMismatch(what: "targets", expected: rows.count, given: targets.count)
        }
        for (index, row) in rows.enumerated() {
            guard row.count == first.count else {
                throw MicrogradError.lengthMismatch(what: "row \(index)", expected: first.count, given: row.count)
            }
            guard row.allSatisfy(\.isFinite) else { throw MicrogradError.nonFiniteInput("row \(index)") }
        }
        if let index = targets.firstIndex(where: { !$0.isFinite }) {
            throw MicrogradError.nonFiniteInput("target \(index)")
        }
        self.rows = rows
        self.targets = targets
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// The width of every row.
    public var featureCount: Int { rows[0].count }

    /// Throws unless the rows fit a model with `inputs` inputs.
    func checkWidth(forInputs inputs: Int) throws {
        guard featureCount == inputs else {
            throw MicrogradError.inputCountMismatch(expected: inputs, given: featureCount)
        }
    }
}
