import Foundation
@testable import Micrograd
import Testing

/// Confusion matrix, training history and image grid pictures: well-formed XML, the expected
/// counts of elements, and escaped text.
@Suite("SVG: confusion matrix, training history and image grid")
struct MetricsPlotTests {
    typealias Reader = SVGTests.Reader

    static func elements(_ svg: String, class cssClass: String) throws -> [Reader.Element] {
        let all = try #require(Reader.parse(svg))
        return all.filter { $0.attributes["class"] == cssClass }
    }

    static func texts(_ svg: String) throws -> [String] {
        try #require(Reader.parse(svg)).filter { $0.name == "text" }.map(\.text)
    }

    @Test("confusion matrix: n² cells and counts, 2n class labels, shading by row")
    func confusionMatrix() throws {
        let matrix = try ConfusionMatrix(
            predicted: [0, 0, 0, 1, 1, 1, 2, 0, 2, 2], actual: [0, 0, 0, 0, 1, 1, 1, 2, 2, 2], classCount: 3)
        let svg = Plot.confusionMatrix(matrix, classNames: ["cat", "dog"], title: "Pets")
        #expect(try #require(Reader.parse(svg)).first?.name == "svg")
        let cells = try Self.elements(svg, class: "cell")
        #expect(cells.count == 9)
        #expect(try Self.elements(svg, class: "count").map(\.text) == ["3", "1", "0", "0", "2", "1", "1", "0", "2"])
        // Rows and columns both labelled; the missing third name is the class number.
        #expect(try Self.elements(svg, class: "class-label").map(\.text) == ["cat", "cat", "dog", "dog", "2", "2"])
        // The darkest cell is the largest fraction of its row (3 of 4); zero cells are white.
        #expect(cells[0].attributes["fill"] == Plot.heatColor(0.75))
        #expect(cells[2].attributes["fill"] == "#ffffff")
        #expect(Plot.heatColor(1) == "#08306b")
        #expect(try Self.texts(svg).contains("Pets"))
    }

    @Test("confusion matrix: text is escaped, empty rows stay white, many classes drop the numbers")
    func confusionMatrixEdges() throws {
        let matrix = try ConfusionMatrix(predicted: [0], actual: [0], classCount: 2)
        let title = "<b> & \"quotes\" 'x'"
        let svg = Plot.confusionMatrix(matrix, classNames: ["a<b", "c&d"], title: title)
        let texts = try Self.texts(svg)
        #expect(texts.contains(title))
        #expect(texts.contains("a<b") && texts.contains("c&d"))
        #expect(!svg.contains("a<b"))
        #expect(try Self.elements(svg, class: "cell").map { $0.attributes["fill"] }
            == ["#08306b", "#ffffff", "#ffffff", "#ffffff"])
        let big = try ConfusionMatrix(predicted: [], actual: [], classCount: 50)
        let bigSVG = Plot.confusionMatrix(big)
        #expect(try Self.elements(bigSVG, class: "cell").count == 2500)
        #expect(try Self.elements(bigSVG, class: "count").isEmpty)
    }

    @Test("training history: four series, test dashed, NaN breaks a line")
    func trainingHistory() throws {
        let svg = Plot.trainingHistory(
            trainLoss: [1, 0.6, 0.4, 0.3], testLoss: [1.1, 0.8, .nan, 0.7],
            trainAccuracy: [0.5, 0.7, 0.8, 0.9], testAccuracy: [0.5, 0.6, 0.65],
            title: "Digits & <stuff>")
        #expect(try Self.texts(svg).contains("Digits & <stuff>"))
        let trainLoss = try Self.elements(svg, class: "train-loss")
        #expect(trainLoss.count == 1 && SVGTests.pointCount(trainLoss[0]) == 4)
        #expect(trainLoss[0].attributes["stroke-dasharray"] == nil)
        // The NaN at epoch 3 splits the test loss into a line of two points and a dot.
        let testLoss = try Self.elements(svg, class: "test-loss")
        #expect(testLoss.map(\.name) == ["polyline", "circle"])
        #expect(testLoss[0].attributes["stroke-dasharray"] == "7 4")
        #expect(try Self.elements(svg, class: "train-accuracy").map(SVGTests.pointCount) == [4])
        #expect(try Self.elements(svg, class: "test-accuracy").map(SVGTests.pointCount) == [3])
        let texts = try Self.texts(svg)
        #expect(texts.filter { $0 == "epoch" }.count == 2)
        #expect(texts.contains("loss") && texts.contains("accuracy"))
        #expect(!texts.contains("no data"))
    }

    @Test("training history with nothing finite shows no data in both charts")
    func trainingHistoryEmpty() throws {
        let svg = Plot.trainingHistory(trainLoss: [], testLoss: [.nan], trainAccuracy: [.infinity], testAccuracy: [])
        #expect(try Self.texts(svg).filter { $0 == "no data" }.count == 2)
        #expect(try Self.elements(svg, class: "train-loss").isEmpty)
    }

    @Test("image grid: a rect per pixel, a caption per image, wrong ones framed red")
    func imageGrid() throws {
        let digit = (0..<64).map { Double($0 % 17) }
        let images = try [
            Plot.LabeledImage(pixels: digit, width: 8, height: 8, label: 3, predicted: 3),
            Plot.LabeledImage(pixels: digit, width: 8, height: 8, label: 5, predicted: 6),
            Plot.LabeledImage(pixels: [0, 1, .nan, 16], width: 2, height: 2, label: 1, predicted: 1),
            Plot.LabeledImage(pixels: digit, width: 8, height: 8, label: 9, predicted: 4),
        ]
        let svg = Plot.imageGrid(images, columns: 3, intensity: 0...16, title: "Errors <& co>")
        let pixels = try Self.elements(svg, class: "pixel")
        #expect(pixels.count == 64 * 3 + 4)
        #expect(pixels[0].attributes["fill"] == "#ffffff")  // 0 is paper
        #expect(pixels[16].attributes["fill"] == "#000000")  // 16 is ink
        #expect(pixels.filter { $0.attributes["fill"] == Plot.nonFinitePixel }.count == 1)
        let captions = try Self.elements(svg, class: "caption")
        #expect(captions.map(\.text) == ["3 / 3", "5 / 6", "1 / 1", "9 / 4"])
        #expect(captions.map { $0.attributes["fill"] == Plot.wrongColor } == [false, true, false, true])
        #expect(try Self.elements(svg, class: "wrong").count == 2)
        let texts = try Self.texts(svg)
        #expect(texts.contains("Errors <& co>"))
        #expect(texts.contains("caption: true / predicted class; 2 wrong of 4, in red"))
        let unlabelled = Plot.imageGrid([try Plot.LabeledImage(pixels: [1], width: 1, height: 1, label: 7)])
        #expect(try Self.elements(unlabelled, class: "caption").map(\.text) == ["7"])
        #expect(try Self.elements(unlabelled, class: "wrong").isEmpty)
        #expect(try Self.texts(Plot.imageGrid([])).contains("no data"))
    }

    @Test("an image of the wrong size is refused")
    func imageShape() {
        #expect(throws: MicrogradError.lengthMismatch(what: "pixels of a 8x8 image", expected: 64, given: 63)) {
            try Plot.LabeledImage(pixels: Array(repeating: 0, count: 63), width: 8, height: 8, label: 0)
        }
        #expect(throws: MicrogradError.invalidShape("an image needs at least 1x1 pixels, got 0x4")) {
            try Plot.LabeledImage(pixels: [], width: 0, height: 4, label: 0)
        }
        #expect(throws: (any Error).self) {
            try Plot.LabeledImage(pixels: [], width: Int.max, height: 2, label: 0)
        }
    }
}
