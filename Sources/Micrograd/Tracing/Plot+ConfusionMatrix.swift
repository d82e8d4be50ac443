import Foundation

extension Plot {
    /// An SVG heat map of a confusion matrix: one square per (true, predicted) pair, rows the
    /// true class and columns the predicted class, each showing its count.
    ///
    /// A cell's shade is its count as a fraction of its row's total (so each row reads as that
    /// class's recall: a dark diagonal is a good classifier); an empty row stays white. Counts
    /// are printed in every cell while cells are at least 14 pixels (up to about 34 classes).
    ///
    /// Elements carry classes for tests and styling: `cell` on the squares, `count` on the
    /// numbers, `class-label` on the class names along both edges.
    ///
    /// - Parameters:
    ///   - matrix: the counts to draw.
    ///   - classNames: a name per class for the edges; missing names are the class numbers.
    ///   - title: the text above the picture.
    public static func confusionMatrix(
        _ matrix: ConfusionMatrix, classNames: [String] = [], title: String = "Confusion matrix"
    ) -> String {
        let n = matrix.classCount
        let cell = Swift.min(60, Swift.max(4, 480 / Double(n)))
        let left = 130.0
        let top = 90.0
        let side = cell * Double(n)
        var svg = SVGDocument(width: left + side + 30, height: top + side + 30)
        svg.text(title, x: left + side / 2, y: 26, anchor: .middle, size: 16, fill: "#111111")
        svg.text("predicted", x: left + side / 2, y: 52, anchor: .middle, size: 13)
        svg.text("true", x: 40, y: top + side / 2, anchor: .middle, size: 13, rotation: -90)

        let showText = cell >= 14
        let fontSize = Swift.min(14, cell * 0.4)
        func name(_ index: Int) -> String { index < classNames.count ? classNames[index] : String(index) }
        for row in 0..<n {
            let rowTotal = matrix.counts[row].reduce(0, +)
            let y = top + Double(row) * cell
            for column in 0..<n {
                let count = matrix.counts[row][column]
                let fraction = rowTotal > 0 ? Double(count) / Double(rowTotal) : 0
                let x = left + Double(column) * cell
                svg.rect(x: x, y: y, width: cell, height: cell, fill: heatColor(fraction), stroke: "#ffffff",
                         cssClass: "cell")
                if showText {
                    svg.text(String(count), x: x + cell / 2, y: y + cell / 2 + fontSize * 0.35, anchor: .middle,
                             size: fontSize, fill: fraction > 0.45 ? "#ffffff" : "#222222",
                             bold: row == column, cssClass: "count")
                }
            }
            if showText {
                svg.text(name(row), x: left - 8, y: y + cell / 2 + 4, anchor: .end, size: 12, cssClass: "class-label")
                svg.text(name(row), x: left + Double(row) * cell + cell / 2, y: top - 10, anchor: .middle, size: 12,
                         cssClass: "class-label")
            }
        }
        svg.rect(x: left, y: top, width: side, height: side, fill: "none", stroke: "#333333")
        return svg.render()
    }

    /// White at 0 to dark blue at 1 (clamped), as `#rrggbb`.
    static func heatColor(_ fraction: Double) -> String {
        let t = fraction.isFinite ? Swift.min(Swift.max(fraction, 0), 1) : 0
        let dark = (r: 0x08, g: 0x30, b: 0x6b)  // ColorBrewer "Blues" end
        func mix(_ end: Int) -> Int { Int((255 + (Double(end) - 255) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(dark.r), mix(dark.g), mix(dark.b))
    }
}
