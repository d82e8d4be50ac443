@testable import Micrograd
import Testing

/// Accuracy, confusion matrix, precision and recall against hand-computed examples.
@Suite("Metrics: accuracy, confusion matrix, precision and recall")
struct MetricsTests {
    // Three classes, ten examples (true -> predicted):
    //   true 0: 0 0 0 1        (4 examples, 3 right)
    //   true 1: 1 1 2          (3 examples, 2 right)
    //   true 2: 0 2 2          (3 examples, 2 right)
    static let actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    static let predicted = [0, 0, 0, 1, 1, 1, 2, 0, 2, 2]

    @Test("the confusion matrix counts rows by true label")
    func matrix() throws {
        let matrix = try ConfusionMatrix(predicted: Self.predicted, actual: Self.actual, classCount: 3)
        #expect(matrix.counts == [[3, 1, 0], [0, 2, 1], [1, 0, 2]])
        #expect(matrix.total == 10)
        #expect(matrix.correct == 7)
        #expect(matrix.accuracy == 0.7)
        #expect(try Metrics.accuracy(predicted: Self.predicted, actual: Self.actual) == 0.7)
    }

    @Test("precision is per predicted column, recall per true row")
    func precisionRecall() throws {
        let matrix = try ConfusionMatrix(predicted: Self.predicted, actual: Self.actual, classCount: 3)
        // Column sums 4, 3, 3; row sums 4, 3, 3; diagonal 3, 2, 2.
        let expected: [Double] = [0.75, 2.0 / 3.0, 2.0 / 3.0]
        #expect(matrix.precisions == expected)
        #expect(matrix.recalls == expected)
        let skewed = try ConfusionMatrix(predicted: [1, 1, 1, 0], actual: [0, 1, 1, 0], classCount: 2)
        #expect(skewed.counts == [[1, 1], [0, 2]])
        #expect(skewed.precision(of: 0) == 1)
        #expect(skewed.precision(of: 1) == 2.0 / 3)
        #expect(skewed.recall(of: 0) == 0.5)
        #expect(skewed.recall(of: 1) == 1)
    }

    @Test("0/0 is NaN: a class never predicted, a class with no examples, no examples at all")
    func undefinedRatios() throws {
        let matrix = try ConfusionMatrix(predicted: [0, 0], actual: [0, 1], classCount: 3)
        #expect(matrix.precision(of: 1).isNaN)  // never predicted
        #expect(matrix.recall(of: 1) == 0)  // one example, missed: 0, not NaN
        #expect(matrix.recall(of: 2).isNaN)  // no examples
        #expect(matrix.precision(of: 2).isNaN)
        #expect(matrix.precision(of: 0) == 0.5)
        #expect(matrix.precision(of: 3).isNaN && matrix.recall(of: -1).isNaN)
        let empty = try ConfusionMatrix(predicted: [], actual: [], classCount: 2)
        #expect(empty.accuracy.isNaN && empty.total == 0)
    }

    @Test("bad inputs throw and name the problem")
    func errors() {
        #expect(throws: MicrogradError.lengthMismatch(what: "predicted labels", expected: 2, given: 1)) {
            try ConfusionMatrix(predicted: [0], actual: [0, 1], classCount: 2)
        }
        #expect(throws: MicrogradError.invalidArgument("the true label of example 1 is 2, outside 0..<2")) {
            try ConfusionMatrix(predicted: [0, 0], actual: [0, 2], classCount: 2)
        }
        #expect(throws: MicrogradError.invalidArgument("the predicted label of example 0 is -1, outside 0..<2")) {
            try ConfusionMatrix(predicted: [-1], actual: [0], classCount: 2)
        }
        #expect(throws: MicrogradError.invalidArgument("the class count must be in 1...4096, got 0")) {
            try ConfusionMatrix(predicted: [], actual: [], classCount: 0)
        }
        #expect(throws: MicrogradError.invalidArgument("the class count must be in 1...4096, got 4097")) {
            try ConfusionMatrix(predicted: [], actual: [], classCount: 4097)
        }
        #expect(throws: MicrogradError.emptyBatch) { try Metrics.accuracy(predicted: [], actual: []) }
        #expect(throws: MicrogradError.lengthMismatch(what: "predicted labels", expected: 1, given: 2)) {
            try Metrics.accuracy(predicted: [1, 2], actual: [1])
        }
    }

    @Test("argmax picks the first largest score and skips NaN")
    func argmax() {
        #expect(Metrics.argmax([[0.1, 0.7, 0.2], [3, 3, 1], [.nan, -1, -2], [.nan], []]) == [1, 0, 1, 0, 0])
    }
}
