extension CSVTable {
    /// The number of classes the labels imply when they are class indices: the largest label
    /// plus one.
    ///
    /// - Throws: `MicrogradError.badRecord` naming the line and column of the first label that
    ///   is not a whole number in `0..<ConfusionMatrix.maximumClassCount`.
    public func inferredClassCount() throws -> Int {
        var largest = 0
        for (row, label) in labels.enumerated() {
            guard label >= 0, label < Double(ConfusionMatrix.maximumClassCount), let index = Int(exactly: label) else {
                throw MicrogradError.badRecord(
                    path: path, line: lineNumbers[row], column: labelColumn + 1,
                    reason: "label \(label) is not a class index "
                        + "(a whole number in 0..<\(ConfusionMatrix.maximumClassCount))")
            }
            largest = max(largest, index)
        }
        return largest + 1
    }
}
