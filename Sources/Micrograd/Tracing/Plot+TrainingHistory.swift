extension Plot {
    /// Colours of the two series of the training-history charts.
    static let trainColor = "#3288bd"
    static let testColor = "#f46d43"

    /// Two SVG line charts side by side: loss per epoch (left) and accuracy per epoch (right),
    /// each with a training series (solid) and a test series (dashed).
    ///
    /// Element `i` of each array is epoch `i + 1`; the arrays may differ in length (an empty one
    /// is simply not drawn). The loss axis covers the finite losses of both series, widened to
    /// round ticks; the accuracy axis runs from 0 to 1 (widened when a value falls outside).
    /// Non-finite values are left out and break the line there; a run of one value is a dot.
    /// A chart with no finite value shows "no data".
    ///
    /// Elements carry classes for tests and styling: `train-loss`, `test-loss`,
    /// `train-accuracy` and `test-accuracy` on the lines and dots.
    ///
    /// - Parameters:
    ///   - trainLoss: the training loss of each epoch.
    ///   - testLoss: the test loss of each epoch.
    ///   - trainAccuracy: the training accuracy (a fraction) of each epoch.
    ///   - testAccuracy: the test accuracy (a fraction) of each epoch.
    ///   - title: the text above the charts.
    public static func trainingHistory(
        trainLoss: [Double], testLoss: [Double], trainAccuracy: [Double], testAccuracy: [Double],
        title: String = "Training history"
    ) -> String {
        let panelWidth = 480.0
        var svg = SVGDocument(width: panelWidth * 2, height: lossSize.height)
        svg.text(title, x: panelWidth, y: 24, anchor: .middle, size: 16, fill: "#111111")
        let epochs = [trainLoss, testLoss, trainAccuracy, testAccuracy].map(\.count).max() ?? 0
        let xTicks = Ticks(covering: 1, Double(Swift.max(epochs, 2)), minimumStep: 1)
        let panels: [(name: String, series: [[Double]], offset: Double)] = [
            ("loss", [trainLoss, testLoss], 0),
            ("accuracy", [trainAccuracy, testAccuracy], panelWidth),
        ]
        for panel in panels {
            let frame = PlotFrame(left: panel.offset + 70, top: 48, right: panel.offset + panelWidth - 20,
                                  bottom: lossSize.height - 60)
            let finite = panel.series.joined().filter { $0.isFinite }
            let yTicks = panel.name == "loss"
                ? Ticks(covering: finite.min() ?? 0, finite.max() ?? 1)
                : Ticks(covering: Swift.min(0, finite.min() ?? 0), Swift.max(1, finite.max() ?? 1))
            let xScale = LinearScale(domain: xTicks.domain, pixels: (frame.left, frame.right))
            let yScale = LinearScale(domain: yTicks.domain, pixels: (frame.bottom, frame.top))
            frame.drawHorizontalAxis(xTicks, scale: xScale, title: "epoch", in: &svg)
            frame.drawVerticalAxis(yTicks, scale: yScale, title: panel.name, in: &svg)
            for (index, values) in panel.series.enumerated() {
                let isTrain = index == 0
                drawRuns(values, firstX: 1, x: xScale, y: yScale, color: isTrain ? trainColor : testColor,
                         dash: isTrain ? nil : "7 4", cssClass: "\(isTrain ? "train" : "test")-\(panel.name)",
                         in: &svg)
            }
            if finite.isEmpty {
                svg.text("no data", x: (frame.left + frame.right) / 2, y: (frame.top + frame.bottom) / 2,
                         anchor: .middle, size: 14, fill: "#888888")
            }
            frame.drawBorder(in: &svg)
            // Accuracy rises to the top right, so its key goes to the bottom right.
            drawTrainTestLegend(frame: frame, atBottom: panel.name == "accuracy", in: &svg)
        }
        return svg.render()
    }

    /// One polyline per run of finite values (a dot for a run of one); value `i` is at
    /// `x(firstX + i)`.
    static func drawRuns(
        _ values: [Double], firstX: Double, x: LinearScale, y: LinearScale, color: String, dash: String?,
        cssClass: String, in svg: inout SVGDocument
    ) {
        var run: [(x: Double, y: Double)] = []
        func flush() {
            if run.count == 1 {
                svg.circle(cx: run[0].x, cy: run[0].y, radius: 3, fill: color, cssClass: cssClass)
            } else if run.count > 1 {
                svg.polyline(run, stroke: color, dash: dash, cssClass: cssClass)
            }
            run.removeAll()
        }
        for (index, value) in values.enumerated() {
            if value.isFinite {
                run.append((x(firstX + Double(index)), y(value)))
            } else {
                flush()
            }
        }
        flush()
    }

    /// The "train" (solid) and "test" (dashed) key in the top-right (or bottom-right) corner.
    private static func drawTrainTestLegend(frame: PlotFrame, atBottom: Bool, in svg: inout SVGDocument) {
        let top = atBottom ? frame.bottom - 46 : frame.top + 4
        svg.rect(x: frame.right - 92, y: top, width: 84, height: 42, fill: "white", stroke: "#cccccc")
        for (index, entry) in [("train", trainColor, nil), ("test", testColor, "7 4")].enumerated() {
            let y = top + 16 + Double(index) * 18
            let x = frame.right - 84
            svg.polyline([(x, y - 4), (x + 24, y - 4)], stroke: entry.1, dash: entry.2)
            svg.text(entry.0, x: x + 30, y: y, size: 12)
        }
    }
}
