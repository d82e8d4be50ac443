/// Rows of inputs with one target each, checked once when made.
///
/// A data set is never empty, all its rows have the same width, there is one target per row
/// and every number is finite; the initialiser throws a `MicrogradError` otherwise.
///
/// A classification data set (``init(rows:classLabels:classCount:)``) also holds a class index
/// per row in ``classLabels``; its ``targets`` are those indices as numbers. Shuffling,
/// minibatches and splits (``batches(of:shuffledWith:epoch:keepingPartialBatch:)``,
/// ``split(trainCount:shuffledWith:)``) keep the labels beside their rows.
public struct Dataset: Sendable {
    /// The input rows.
    public let rows: [[Double]]
    /// One target per row (for example -1 or +1 for the hinge loss).
    public let targets: [Double]
    /// One class index in `0..<classCount` per row, or nil for a data set of numeric targets.
    public let classLabels: [Int]?
    /// The number of classes of a classification data set (labels `0..<classCount`), else nil.
    public let classCount: Int?

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
        self.classLabels = nil
        self.classCount = nil
    }

    /// Creates a classification data set: one class index in `0..<classCount` per row.
    ///
    /// ``targets`` holds the same indices as numbers.
    ///
    /// - Parameters:
    ///   - rows: The input rows (at least one, all of one width, every number finite).
    ///   - classLabels: The class index of each row.
    ///   - classCount: The number of classes, at least 1.
    /// - Throws: As ``init(rows:targets:)``, and `MicrogradError.invalidArgument` naming the
    ///   first label outside `0..<classCount` (or a class count below 1).
    public init(rows: [[Double]], classLabels: [Int], classCount: Int) throws {
        guard classCount >= 1 else {
            throw MicrogradError.invalidArgument("the class count must be at least 1, got \(classCount)")
        }
        if let index = classLabels.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw MicrogradError.invalidArgument(
                "class label \(index) is \(classLabels[index]), outside 0..<\(classCount)")
        }
        let plain = try Dataset(rows: rows, targets: classLabels.map(Double.init))
        self.rows = plain.rows
        self.targets = plain.targets
        self.classLabels = classLabels
        self.classCount = classCount
    }

    /// The rows at `indices`, in that order, with their targets (and class labels); the class
    /// count is kept. Indices may repeat.
    ///
    /// - Throws: `MicrogradError.emptyBatch` for no indices, `.invalidArgument` for an index
    ///   outside `0..<count`.
    public func subset(_ indices: [Int]) throws -> Dataset {
        guard !indices.isEmpty else { throw MicrogradError.emptyBatch }
        if let bad = indices.first(where: { !(0..<count).contains($0) }) {
            throw MicrogradError.invalidArgument("row index \(bad) is outside 0..<\(count)")
        }
        return Dataset(checkedRows: indices.map { rows[$0] }, targets: indices.map { targets[$0] },
                       classLabels: classLabels.map { labels in indices.map { labels[$0] } },
                       classCount: classCount)
    }

    /// Rows already checked (taken from a checked data set): no checks again.
    private init(checkedRows rows: [[Double]], targets: [Double], classLabels: [Int]?, classCount: Int?) {
        self.rows = rows
        self.targets = targets
        self.classLabels = classLabels
        self.classCount = classCount
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
