import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Micrograd
import Testing

/// SVG pictures: well-formed XML, the expected elements, and no crash on bad input.
@Suite("SVG: loss curve and decision boundary pictures")
struct SVGTests {
    /// The elements of an SVG file (name, attributes, text) as read by Foundation's XML parser.
    final class Reader: NSObject, XMLParserDelegate {
        struct Element {
            let name: String
            let attributes: [String: String]
            var text = ""
        }
        var elements: [Element] = []
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            open.append(elements.count)
            elements.append(Element(name: name, attributes: attributes))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        /// Parses `svg`; nil when it is not well-formed XML.
        static func parse(_ svg: String) -> [Element]? {
            let reader = Reader()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = reader
            return parser.parse() ? reader.elements : nil
        }
    }

    static func elements(_ elements: [Reader.Element], class cssClass: String) -> [Reader.Element] {
        elements.filter { $0.attributes["class"] == cssClass }
    }

    static func pointCount(_ polyline: Reader.Element) -> Int {
        polyline.attributes["points", default: ""].split(separator: " ").count
    }

    @Test("loss curve: well-formed, one polyline through every loss, accuracy on a second axis")
    func lossCurve() throws {
        let losses = (0..<50).map { 1 / Double($0 + 1) }
        let accuracies = (0..<50).map { Double($0) / 50 }
        let svg = Plot.lossCurve(losses: losses, accuracies: accuracies, title: "Training")
        let elements = try #require(Reader.parse(svg))
        #expect(elements.first?.name == "svg")
        let loss = Self.elements(elements, class: "loss")
        let accuracy = Self.elements(elements, class: "accuracy")
        #expect(loss.count == 1 && loss.first?.name == "polyline")
        #expect(loss.first.map(Self.pointCount) == 50)
        #expect(accuracy.count == 1 && accuracy.first.map(Self.pointCount) == 50)
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        #expect(texts.contains("Training") && texts.contains("accuracy") && texts.contains("step"))
        #expect(!texts.contains("no data"))
    }

    @Test("loss curve: NaN and infinity break the line; a lone finite value is a dot")
    func lossCurveNonFinite() throws {
        let losses = [1.0, 0.9, .nan, 0.7, .infinity, 0.5, 0.4, 0.3]
        let elements = try #require(Reader.parse(Plot.lossCurve(losses: losses)))
        let loss = Self.elements(elements, class: "loss")
        #expect(loss.map(\.name) == ["polyline", "circle", "polyline"])
        #expect(loss.filter { $0.name == "polyline" }.map(Self.pointCount) == [2, 3])
        #expect(svgNumbersAreFinite(elements))
    }

    @Test("loss curve: empty, all-NaN and constant input draw a frame (and 'no data' when empty)")
    func lossCurveDegenerate() throws {
        for losses in [[], [Double.nan, .nan], [-.infinity]] {
            let elements = try #require(Reader.parse(Plot.lossCurve(losses: losses, accuracies: [])))
            #expect(Self.elements(elements, class: "loss").isEmpty)
            #expect(elements.contains { $0.name == "text" && $0.text == "no data" })
            #expect(svgNumbersAreFinite(elements))
        }
        let constant = try #require(Reader.parse(Plot.lossCurve(losses: [2, 2, 2])))
        #expect(Self.elements(constant, class: "loss").map(Self.pointCount) == [3])
        #expect(svgNumbersAreFinite(constant))
    }

    @Test("titles with markup characters stay text: < > & \" ' are escaped")
    func escaping() throws {
        let title = "a < b & \"c\" > 'd'"
        let elements = try #require(Reader.parse(Plot.lossCurve(losses: [1, 2], title: title)))
        #expect(elements.contains { $0.name == "text" && $0.text == title })
        let boundary = Plot.decisionBoundary(inputs: [[0, 0]], labels: [1], resolution: 2, title: title) { _ in 1 }
        let boundaryElements = try #require(Reader.parse(boundary))
        #expect(boundaryElements.contains { $0.name == "text" && $0.text == title })
    }

    @Test("decision boundary: resolution² cells coloured by the score's sign, one circle per point")
    func decisionBoundary() throws {
        // Points at x = ±1 give the plane [-2, 2] (a margin of 1); with 4 columns the cell
        // centres are x = -1.5, -0.5, 0.5, 1.5, so `score = x` is positive in exactly 2 columns.
        let inputs: [[Double]] = [[-1, 0], [1, 0], [1, 1], [-1, 1], [0, 0.5]]
        let labels: [Double] = [-1, 1, 1, -1, 1]
        var calls = 0
        let svg = Plot.decisionBoundary(inputs: inputs, labels: labels, resolution: 4) { point in
            calls += 1
            return point[0]
        }
        let elements = try #require(Reader.parse(svg))
        let cells = Self.elements(elements, class: "cell")
        #expect(cells.count == 16)
        #expect(calls == 16)
        #expect(cells.filter { $0.attributes["fill"] == Plot.positiveRegion }.count == 8)
        #expect(cells.filter { $0.attributes["fill"] == Plot.negativeRegion }.count == 8)
        #expect(Self.elements(elements, class: "point positive").count == 3)
        #expect(Self.elements(elements, class: "point negative").count == 2)
        #expect(svgNumbersAreFinite(elements))
    }

    @Test("decision boundary: bad rows are skipped, NaN scores are grey, resolution is clamped")
    func decisionBoundaryBadInput() throws {
        let inputs: [[Double]] = [[0, 0], [.nan, 1], [1], [2, .infinity], [1, 1, 7], [3, 3]]
        let labels: [Double] = [1, 1, 1, 1, -1]  // one fewer: the last row has no label
        let svg = Plot.decisionBoundary(inputs: inputs, labels: labels, resolution: 0) { _ in .nan }
        let elements = try #require(Reader.parse(svg))
        let cells = Self.elements(elements, class: "cell")
        #expect(cells.count == 1)
        #expect(cells.first?.attributes["fill"] == Plot.undefinedRegion)
        // Usable: [0, 0] (label 1) and [1, 1, 7] (label -1, first two coordinates).
        #expect(Self.elements(elements, class: "point positive").count == 1)
        #expect(Self.elements(elements, class: "point negative").count == 1)
        #expect(svgNumbersAreFinite(elements))
    }

    @Test("decision boundary: no usable point draws nothing and never calls score")
    func decisionBoundaryEmpty() throws {
        for inputs in [[], [[Double.nan, 0]]] as [[[Double]]] {
            var called = false
            let svg = Plot.decisionBoundary(inputs: inputs, labels: [1]) { _ in
                called = true
                return 1
            }
            let elements = try #require(Reader.parse(svg))
            #expect(!called)
            #expect(Self.elements(elements, class: "cell").isEmpty)
            #expect(!elements.contains { $0.name == "circle" })
            #expect(elements.contains { $0.name == "text" && $0.text == "no data" })
        }
    }

    /// True when no attribute holds `nan` or `inf` (a sign of an unguarded non-finite number).
    func svgNumbersAreFinite(_ elements: [Reader.Element]) -> Bool {
        elements.allSatisfy { element in
            element.attributes.values.allSatisfy { !$0.lowercased().contains("nan") && !$0.contains("inf") }
        }
    }
}
