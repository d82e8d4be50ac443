extension Plot {
    /// An SVG map of a 2-D classifier: a `resolution × resolution` grid of cells coloured by
    /// the sign of `score` at each cell's centre, with the data points on top, coloured by label
    /// (as micrograd's demo draws with `contourf` and `scatter`).
    ///
    /// The plane shown is the points' bounding box widened by 1 on every side (micrograd's
    /// choice). `score` receives `[x, y]`; a positive score colours the cell blue, zero or
    /// negative red, and NaN grey. Points use their label's sign the same way (label > 0 blue).
    ///
    /// Bad input never crashes:
    /// - only the first `min(inputs.count, labels.count)` pairs are used;
    /// - a row with fewer than two coordinates, a non-finite coordinate or a non-finite label
    ///   is left out (rows with more than two coordinates use the first two);
    /// - `resolution` is clamped to `1...400`;
    /// - with no usable point nothing is drawn (no cells, `score` is not called) and the
    ///   picture says "no data".
    ///
    /// Elements carry classes for tests and styling: `cell` on each grid cell, `point
    /// positive` or `point negative` on each point.
    public static func decisionBoundary(
        inputs: [[Double]], labels: [Double], resolution: Int = 60,
        title: String = "Decision boundary", score: ([Double]) -> Double
    ) -> String {
        let points = usablePoints(inputs: inputs, labels: labels)
        var svg = SVGDocument(width: boundarySize.width, height: boundarySize.height)
        let frame = PlotFrame(left: 70, top: 40, right: boundarySize.width - 20, bottom: boundarySize.height - 60)
        svg.text(title, x: boundarySize.width / 2, y: 24, anchor: .middle, size: 16, fill: "#111111")
        guard let xRange = Self.range(points.map(\.x)), let yRange = Self.range(points.map(\.y)) else {
            svg.text("no data", x: (frame.left + frame.right) / 2, y: (frame.top + frame.bottom) / 2,
                     anchor: .middle, size: 14, fill: "#888888")
            frame.drawBorder(in: &svg)
            return svg.render()
        }

        let xDomain = (xRange.lowerBound - 1)...(xRange.upperBound + 1)
        let yDomain = (yRange.lowerBound - 1)...(yRange.upperBound + 1)
        let xScale = LinearScale(domain: xDomain, pixels: (frame.left, frame.right))
        let yScale = LinearScale(domain: yDomain, pixels: (frame.bottom, frame.top))
        drawCells(resolution: min(max(resolution, 1), 400), x: xScale, y: yScale, score: score, in: &svg)
        frame.drawHorizontalAxis(Ticks(inside: xDomain), scale: xScale, title: "x₁", grid: false, in: &svg)
        frame.drawVerticalAxis(Ticks(inside: yDomain), scale: yScale, title: "x₂", grid: false, in: &svg)
        for point in points {
            let positive = point.label > 0
            svg.circle(cx: xScale(point.x), cy: yScale(point.y), radius: 4,
                       fill: positive ? positivePoint : negativePoint, stroke: "#222222",
                       cssClass: positive ? "point positive" : "point negative")
        }
        frame.drawBorder(in: &svg)
        return svg.render()
    }

    /// The (x, y, label) triples that can be drawn.
    private static func usablePoints(inputs: [[Double]], labels: [Double]) -> [(x: Double, y: Double, label: Double)] {
        zip(inputs, labels).compactMap { row, label in
            guard row.count >= 2, row[0].isFinite, row[1].isFinite, label.isFinite else { return nil }
            return (row[0], row[1], label)
        }
    }

    /// The smallest and largest of `values`; nil when there are none.
    private static func range(_ values: [Double]) -> ClosedRange<Double>? {
        guard let low = values.min(), let high = values.max() else { return nil }
        return low...high
    }

    /// The grid, row by row from the top; each cell is scored at its centre.
    private static func drawCells(
        resolution: Int, x: LinearScale, y: LinearScale, score: ([Double]) -> Double,
        in svg: inout SVGDocument
    ) {
        let cellWidth = (x.domain.upperBound - x.domain.lowerBound) / Double(resolution)
        let cellHeight = (y.domain.upperBound - y.domain.lowerBound) / Double(resolution)
        for row in 0..<resolution {
            let top = y.domain.upperBound - Double(row) * cellHeight
            for column in 0..<resolution {
                let left = x.domain.lowerBound + Double(column) * cellWidth
                let value = score([left + cellWidth / 2, top - cellHeight / 2])
                let fill = value.isNaN ? undefinedRegion : value > 0 ? positiveRegion : negativeRegion
                let pixelLeft = x(left), pixelTop = y(top)
                // NOTE: cells overlap by half a pixel so anti-aliasing leaves no hairline seams.
                svg.rect(x: pixelLeft, y: pixelTop,
                         width: x(left + cellWidth) - pixelLeft + 0.5,
                         height: y(top - cellHeight) - pixelTop + 0.5,
                         fill: fill, cssClass: "cell")
            }
        }
    }
}
