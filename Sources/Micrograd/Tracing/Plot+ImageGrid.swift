import Foundation

extension Plot {
    /// A small grayscale picture with its true class and, optionally, a predicted class.
    public struct LabeledImage: Equatable, Sendable {
        /// The pixel values, row by row from the top-left corner (`width * height` of them).
        public let pixels: [Double]
        /// The number of pixels per row.
        public let width: Int
        /// The number of rows.
        public let height: Int
        /// The true class.
        public let label: Int
        /// The class a model predicted, if any.
        public let predicted: Int?

        /// Creates an image, checking its size.
        ///
        /// - Parameters:
        ///   - pixels: the values, row by row; larger is darker (ink on paper).
        ///   - width: the number of pixels per row, at least 1.
        ///   - height: the number of rows, at least 1.
        ///   - label: the true class.
        ///   - predicted: the predicted class, or nil when there is none.
        /// - Throws: `MicrogradError.invalidShape` when a side is below 1, or
        ///   `MicrogradError.lengthMismatch` when `pixels` does not hold `width * height` values.
        public init(pixels: [Double], width: Int, height: Int, label: Int, predicted: Int? = nil) throws {
            guard width >= 1, height >= 1 else {
                throw MicrogradError.invalidShape("an image needs at least 1x1 pixels, got \(width)x\(height)")
            }
            let (area, overflow) = width.multipliedReportingOverflow(by: height)
            guard !overflow, pixels.count == area else {
                throw MicrogradError.lengthMismatch(
                    what: "pixels of a \(width)x\(height) image", expected: overflow ? Int.max : area,
                    given: pixels.count)
            }
            self.pixels = pixels
            self.width = width
            self.height = height
            self.label = label
            self.predicted = predicted
        }

        /// Whether a prediction is given and differs from the true class.
        public var isWrong: Bool { predicted.map { $0 != label } ?? false }
    }

    /// Colour of a wrong prediction's frame and caption, and of a non-finite pixel.
    static let wrongColor = "#d7301f"
    static let nonFinitePixel = "#ff00ff"

    /// An SVG grid of small grayscale images, each captioned with its true class, or with
    /// "true / predicted" when a prediction is given; wrong predictions get a red frame and
    /// a red caption.
    ///
    /// Each image is scaled to a 64-pixel square cell (its longer side fills it). Values map
    /// linearly from `intensity` (by default the smallest to the largest finite pixel of all
    /// images) to white...black, clamped; a non-finite pixel is drawn magenta.
    ///
    /// Elements carry classes for tests and styling: `pixel` on every pixel, `caption` on the
    /// captions, `wrong` on the frames of wrong predictions.
    ///
    /// - Parameters:
    ///   - images: the pictures, drawn left to right, top to bottom.
    ///   - columns: images per row (at least 1).
    ///   - intensity: the pixel values drawn white and black; nil to use the data's range.
    ///   - title: the text above the grid.
    public static func imageGrid(
        _ images: [LabeledImage], columns: Int = 10, intensity: ClosedRange<Double>? = nil,
        title: String = "Images"
    ) -> String {
        let columns = Swift.max(1, Swift.min(columns, Swift.max(images.count, 1)))
        let rows = (images.count + columns - 1) / columns
        let side = 64.0
        let cellWidth = side + 16
        let cellHeight = side + 30
        let top = 62.0
        let left = 12.0
        var svg = SVGDocument(width: Swift.max(left * 2 + Double(columns) * cellWidth, 360),
                              height: top + Double(Swift.max(rows, 1)) * cellHeight + 8)
        svg.text(title, x: svg.width / 2, y: 24, anchor: .middle, size: 16, fill: "#111111")
        let hasPredictions = images.contains { $0.predicted != nil }
        let wrongCount = images.filter(\.isWrong).count
        let subtitle = hasPredictions
            ? "caption: true / predicted class; \(wrongCount) wrong of \(images.count), in red"
            : "caption: true class"
        svg.text(subtitle, x: svg.width / 2, y: 44, anchor: .middle, size: 11, fill: "#555555")
        if images.isEmpty {
            svg.text("no data", x: svg.width / 2, y: top + cellHeight / 2, anchor: .middle, size: 14, fill: "#888888")
        }

        let finite = images.flatMap(\.pixels).filter(\.isFinite)
        var low = intensity?.lowerBound ?? finite.min() ?? 0
        var high = intensity?.upperBound ?? finite.max() ?? 1
        if !low.isFinite { low = 0 }
        if !(high - low).isFinite || high - low <= 0 { high = low + 1 }  // a flat or bad range
        for (index, image) in images.enumerated() {
            let x = left + Double(index % columns) * cellWidth + 8
            let y = top + Double(index / columns) * cellHeight
            let pixel = side / Double(Swift.max(image.width, image.height))
            for row in 0..<image.height {
                for column in 0..<image.width {
                    let value = image.pixels[row * image.width + column]
                    svg.rect(x: x + Double(column) * pixel, y: y + Double(row) * pixel, width: pixel, height: pixel,
                             fill: grayColor(value, low: low, high: high), cssClass: "pixel")
                }
            }
            let frameColor = image.isWrong ? wrongColor : "#999999"
            svg.rect(x: x, y: y, width: pixel * Double(image.width), height: pixel * Double(image.height),
                     fill: "none", stroke: frameColor, strokeWidth: image.isWrong ? 3 : 1,
                     cssClass: image.isWrong ? "wrong" : nil)
            let caption = image.predicted.map { "\(image.label) / \($0)" } ?? "\(image.label)"
            svg.text(caption, x: x + side / 2, y: y + side + 18, anchor: .middle, size: 13,
                     fill: image.isWrong ? wrongColor : "#333333", bold: image.isWrong, cssClass: "caption")
        }
        return svg.render()
    }

    /// `value` mapped from `low...high` to white...black (clamped), magenta when not finite.
    static func grayColor(_ value: Double, low: Double, high: Double) -> String {
        guard value.isFinite else { return nonFinitePixel }
        let t = Swift.min(Swift.max((value - low) / (high - low), 0), 1)
        let level = Int((255 * (1 - t)).rounded())
        return String(format: "#%02x%02x%02x", level, level, level)
    }
}
