extension Plot {
    /// An SVG line chart of `losses` by step, optionally with `accuracies` on a second y axis.
    ///
    /// Step `i` is `losses[i]`; the x axis runs over all steps. The loss axis covers the finite
    /// losses, widened to round ticks. Accuracies (fractions) get a right axis from 0 to 1
    /// (widened when a value falls outside). Non-finite values (NaN, ±inf) are left out and
    /// break the line there, so one polyline is drawn per run of finite values; a run of a
    /// single value is drawn as a dot. With no finite loss the chart shows "no data".
    ///
    /// Elements carry classes for tests and styling: `loss` and `accuracy` on the lines and
    /// dots.
    public static func lossCurve(losses: [Double], accuracies: [Double]? = nil, title: String = "Loss") -> String {
        let accuracies = accuracies ?? []
        let hasAccuracy = accuracies.contains { $0.isFinite }
        var svg = SVGDocument(width: lossSize.width, height: lossSize.height)
        let frame = PlotFrame(left: 70, top: 40, right: lossSize.width - (hasAccuracy ? 70 : 20),
                              bottom: lossSize.height - 60)
        svg.text(title, x: lossSize.width / 2, y: 24, anchor: .middle, size: 16, fill: "#111111")

        let steps = Swift.max(losses.count, accuracies.count)
        let xTicks = Ticks(covering: 0, Double(Swift.max(steps - 1, 1)), minimumStep: 1)
        let xScale = LinearScale(domain: xTicks.domain, pixels: (frame.left, frame.right))
        let finiteLosses = losses.filter { $0.isFinite }
        let lossTicks = Ticks(covering: finiteLosses.min() ?? 0, finiteLosses.max() ?? 1)
        let lossScale = LinearScale(domain: lossTicks.domain, pixels: (frame.bottom, frame.top))

        frame.drawHorizontalAxis(xTicks, scale: xScale, title: "step", in: &svg)
        frame.drawVerticalAxis(lossTicks, scale: lossScale, title: "loss", color: lossColor, in: &svg)
        if hasAccuracy {
            let finite = accuracies.filter { $0.isFinite }
            let accuracyTicks = Ticks(covering: Swift.min(0, finite.min() ?? 0), Swift.max(1, finite.max() ?? 1))
            let accuracyScale = LinearScale(domain: accuracyTicks.domain, pixels: (frame.bottom, frame.top))
            frame.drawVerticalAxis(accuracyTicks, scale: accuracyScale, title: "accuracy", onRight: true,
                                   color: accuracyColor, grid: false, in: &svg)
            drawSeries(accuracies, x: xScale, y: accuracyScale, color: accuracyColor, cssClass: "accuracy", in: &svg)
        }
        drawSeries(losses, x: xScale, y: lossScale, color: lossColor, cssClass: "loss", in: &svg)
        if finiteLosses.isEmpty {
            svg.text("no data", x: (frame.left + frame.right) / 2, y: (frame.top + frame.bottom) / 2,
                     anchor: .middle, size: 14, fill: "#888888")
        }
        frame.drawBorder(in: &svg)
        drawLegend(hasAccuracy: hasAccuracy, frame: frame, in: &svg)
        return svg.render()
    }

    /// One polyline per run of finite values (a dot for a run of one).
    private static func drawSeries(
        _ values: [Double], x: LinearScale, y: LinearScale, color: String, cssClass: String,
        in svg: inout SVGDocument
    ) {
        var run: [(x: Double, y: Double)] = []
        func flush() {
            if run.count == 1 {
                svg.circle(cx: run[0].x, cy: run[0].y, radius: 2.5, fill: color, cssClass: cssClass)
            } else if run.count > 1 {
                svg.polyline(run, stroke: color, cssClass: cssClass)
            }
            run.removeAll()
        }
        for (step, value) in values.enumerated() {
            if value.isFinite {
                run.append((x(Double(step)), y(value)))
            } else {
                flush()
            }
        }
        flush()
    }

    /// A small key in the top-right corner of the frame.
    private static func drawLegend(hasAccuracy: Bool, frame: PlotFrame, in svg: inout SVGDocument) {
        var entries = [("loss", lossColor)]
        if hasAccuracy { entries.append(("accuracy", accuracyColor)) }
        svg.rect(x: frame.right - 108, y: frame.top + 4, width: 100, height: Double(entries.count) * 18 + 6,
                 fill: "white", stroke: "#cccccc")
        for (index, entry) in entries.enumerated() {
            let y = frame.top + 16 + Double(index) * 18
            let x = frame.right - 100
            svg.line(x1: x, y1: y - 4, x2: x + 20, y2: y - 4, stroke: entry.1, width: 2)
            svg.text(entry.0, x: x + 26, y: y, size: 12)
        }
    }
}
