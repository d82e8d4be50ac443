import Foundation

/// A minimal SVG writer: shapes and text appended in drawing order, rendered as one String.
///
/// Only what the plots need. Every piece of text and every attribute value is XML-escaped, so
/// any title gives well-formed XML. Coordinates are written with two decimals.
struct SVGDocument {
    /// The picture's width in pixels.
    let width: Double
    /// The picture's height in pixels.
    let height: Double
    /// The elements, already serialised, in drawing order.
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The complete SVG file text.
    func render() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\""
        out += " viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        for element in elements {
            out += element
            out += "\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Appends a rectangle; `cssClass` tags it for tests and stylesheets.
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double,
        fill: String, stroke: String? = nil, strokeWidth: Double? = nil, cssClass: String? = nil
    ) {
        var element = "<rect\(classAttribute(cssClass)) x=\"\(n(x))\" y=\"\(n(y))\""
        element += " width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(SVGDocument.escape(fill))\""
        if let stroke { element += " stroke=\"\(SVGDocument.escape(stroke))\"" }
        if let strokeWidth { element += " stroke-width=\"\(n(strokeWidth))\"" }
        elements.append(element + "/>")
    }

    /// Appends a straight line.
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1) {
        elements.append(
            "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\""
                + " stroke=\"\(SVGDocument.escape(stroke))\" stroke-width=\"\(n(width))\"/>")
    }

    /// Appends an open polyline through `points` (no fill).
    /// `dash` is an SVG `stroke-dasharray` such as `"6 4"` (nil: solid).
    mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, dash: String? = nil,
        cssClass: String? = nil
    ) {
        let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        let dashAttribute = dash.map { " stroke-dasharray=\"\(SVGDocument.escape($0))\"" } ?? ""
        elements.append(
            "<polyline\(classAttribute(cssClass)) points=\"\(list)\" fill=\"none\""
                + " stroke=\"\(SVGDocument.escape(stroke))\" stroke-width=\"\(n(width))\"\(dashAttribute)"
                + " stroke-linejoin=\"round\"/>")
    }

    /// Appends a filled circle.
    mutating func circle(
        cx: Double, cy: Double, radius: Double,
        fill: String, stroke: String? = nil, cssClass: String? = nil
    ) {
        var element = "<circle\(classAttribute(cssClass)) cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\""
        element += " fill=\"\(SVGDocument.escape(fill))\""
        if let stroke { element += " stroke=\"\(SVGDocument.escape(stroke))\" stroke-width=\"1\"" }
        elements.append(element + "/>")
    }

    /// How text is aligned to its anchor point.
    enum Anchor: String {
        case start, middle, end
    }

    /// Appends text at (x, y) (the baseline), optionally rotated by `rotation` degrees about it.
    mutating func text(
        _ string: String, x: Double, y: Double, anchor: Anchor = .start,
        size: Double = 12, fill: String = "#333333", rotation: Double? = nil, bold: Bool = false,
        cssClass: String? = nil
    ) {
        var element = "<text\(classAttribute(cssClass)) x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor.rawValue)\""
        element += " font-size=\"\(n(size))\" fill=\"\(SVGDocument.escape(fill))\""
        if bold { element += " font-weight=\"bold\"" }
        if let rotation { element += " transform=\"rotate(\(n(rotation)) \(n(x)) \(n(y)))\"" }
        elements.append(element + ">\(SVGDocument.escape(string))</text>")
    }

    /// `text` with `& < > " '` replaced by XML entities (valid in text and in attributes) and
    /// control characters other than tab and newlines removed.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // NOTE: XML 1.0 forbids most control characters even as entities; drop them.
                let isControl = character.unicodeScalars.contains {
                    $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r"
                }
                if !isControl { out.append(character) }
            }
        }
        return out
    }

    private func classAttribute(_ cssClass: String?) -> String {
        guard let cssClass else { return "" }
        return " class=\"\(SVGDocument.escape(cssClass))\""
    }

    /// A coordinate with two decimals (callers pass finite numbers only).
    private func n(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
