import Foundation

extension ConfusionMatrix {
    /// The matrix as a plain-text table for a terminal: one line per true class (its counts
    /// under each predicted class, then its recall), a last line with each predicted class's
    /// precision. Undefined ratios (no examples) print as `-`. For
    /// `ConfusionMatrix(predicted: [0, 1, 1], actual: [0, 1, 0], classCount: 2)`:
    ///
    /// ```
    /// true\pred     0     1  recall
    ///         0     1     1   0.500
    ///         1     0     1   1.000
    /// precision 1.000 0.500
    /// ```
    ///
    /// - Parameter classNames: A name per class for the edges; missing names are the class numbers.
    /// - Returns: The lines, each ending in a newline.
    public func textTable(classNames: [String] = []) -> String {
        func name(_ index: Int) -> String { index < classNames.count ? classNames[index] : String(index) }
        func ratio(_ value: Double) -> String { value.isNaN ? "-" : String(format: "%.3f", value) }
        let corner = "true\\pred"
        let cells = counts.joined().map(String.init) + (0..<classCount).map(name)
            + precisions.map(ratio)
        let width = (cells.map(\.count).max() ?? 1) + 1
        let headWidth = max(corner.count, "precision".count, (0..<classCount).map { name($0).count }.max() ?? 1)
        func padded(_ text: String, _ size: Int) -> String {
            String(repeating: " ", count: max(0, size - text.count)) + text
        }
        var lines = [padded(corner, headWidth) + (0..<classCount).map { padded(name($0), width) }.joined()
            + "  recall"]
        for row in 0..<classCount {
            lines.append(padded(name(row), headWidth) + counts[row].map { padded(String($0), width) }.joined()
                + padded(ratio(recall(of: row)), 8))
        }
        lines.append(padded("precision", headWidth) + precisions.map { padded(ratio($0), width) }.joined())
        return lines.map { $0 + "\n" }.joined()
    }
}
