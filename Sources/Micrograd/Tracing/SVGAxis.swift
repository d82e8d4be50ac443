import Foundation

/// A linear map from a data interval to a pixel interval (the pixel end may be the smaller one,
/// as for a y axis that grows upwards).
struct LinearScale {
    let domain: ClosedRange<Double>
    let pixels: (start: Double, end: Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
        return pixels.start + t * (pixels.end - pixels.start)
    }
}

/// Round tick positions ("nice numbers": steps of 1, 2 or 5 times a power of ten).
struct Ticks {
    /// The interval widened outwards to whole steps.
    let domain: ClosedRange<Double>
    /// The distance between ticks.
    let step: Double
    /// The tick positions, from `domain.lowerBound` to `domain.upperBound`.
    let values: [Double]

    /// Ticks covering `lower...upper` with about `count` intervals, `minimumStep` apart at least
    /// (1 for step numbers, which are whole).
    ///
    /// NOTE: an empty or one-point interval is widened first (to ±1 around the point, or by
    /// 10% of its magnitude), so the step is never zero; callers pass finite bounds only.
    init(covering lower: Double, _ upper: Double, count: Int = 5, minimumStep: Double = 0) {
        var low = Swift.min(lower, upper)
        var high = Swift.max(lower, upper)
        if !(high - low).isFinite {  // e.g. -1e308...1e308: keep the span representable
            low = Swift.max(low, -1e307)
            high = Swift.min(high, 1e307)
        }
        if high - low <= Swift.max(abs(high), abs(low)) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = Swift.max(Ticks.niceStep(for: (high - low) / Double(Swift.max(count, 1))), minimumStep)
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        self.step = step
        self.domain = (first * step)...(last * step)
        self.values = stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// Ticks exactly at the ends' inner multiples of a nice step, without widening the interval
    /// (for axes whose extent is fixed, like a decision-boundary grid).
    init(inside domain: ClosedRange<Double>, count: Int = 5) {
        let span = Swift.max(domain.upperBound - domain.lowerBound, 1e-12)
        let step = Ticks.niceStep(for: span / Double(Swift.max(count, 1)))
        let first = (domain.lowerBound / step).rounded(.up)
        let last = (domain.upperBound / step).rounded(.down)
        self.step = step
        self.domain = domain
        self.values = first <= last ? stride(from: first, through: last, by: 1).map { $0 * step } : []
    }

    /// The smallest step of 1, 2 or 5 times a power of ten that is at least `rough`.
    static func niceStep(for rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let magnitude = Foundation.pow(10, (Foundation.log10(rough)).rounded(.down))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// A tick label with as many decimals as the step needs (`0.5`, `2`, `0.05`).
    func label(_ value: Double) -> String {
        let decimals = Swift.min(Swift.max(0, Int((-Foundation.log10(step)).rounded(.up))), 10)
        let rounded = abs(value) < step * 1e-9 ? 0 : value  // no "-0.0"
        return String(format: "%.\(decimals)f", rounded)
    }
}

/// The rectangle the data is drawn in, inside the margins of a picture.
struct PlotFrame {
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// Draws ticks, tick labels, the title and (optionally) light grid lines for the bottom edge.
    func drawHorizontalAxis(
        _ ticks: Ticks, scale: LinearScale, title: String, grid: Bool = true, in svg: inout SVGDocument
    ) {
        for value in ticks.values {
            let x = scale(value)
            if grid { svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#eeeeee") }
            svg.line(x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: "#333333")
            svg.text(ticks.label(value), x: x, y: bottom + 18, anchor: .middle, size: 11)
        }
        svg.text(title, x: (left + right) / 2, y: bottom + 38, anchor: .middle, size: 12)
    }

    /// Draws ticks, labels and the title along the left (or right) edge.
    func drawVerticalAxis(
        _ ticks: Ticks, scale: LinearScale, title: String, onRight: Bool = false,
        color: String = "#333333", grid: Bool = true, in svg: inout SVGDocument
    ) {
        let edge = onRight ? right : left
        let direction: Double = onRight ? 1 : -1
        for value in ticks.values {
            let y = scale(value)
            if grid { svg.line(x1: left, y1: y, x2: right, y2: y, stroke: "#eeeeee") }
            svg.line(x1: edge, y1: y, x2: edge + 5 * direction, y2: y, stroke: color)
            svg.text(ticks.label(value), x: edge + 8 * direction, y: y + 4,
                     anchor: onRight ? .start : .end, size: 11, fill: color)
        }
        let titleX = edge + 46 * direction
        svg.text(title, x: titleX, y: (top + bottom) / 2, anchor: .middle, size: 12, fill: color,
                 rotation: onRight ? 90 : -90)
    }

    /// The black border of the data rectangle (drawn last, over the data).
    func drawBorder(in svg: inout SVGDocument) {
        svg.rect(x: left, y: top, width: width, height: height, fill: "none", stroke: "#333333")
    }
}
