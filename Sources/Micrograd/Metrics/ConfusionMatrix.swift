/// Counts of (true class, predicted class) pairs of a classifier, with the metrics read off
/// them: accuracy, and precision and recall per class.
///
/// Classes are numbered `0..<classCount`. `counts[t][p]` is the number of examples of true
/// class `t` predicted as `p`: rows are true labels, columns predictions, the diagonal is the
/// correct ones.
///
/// A ratio whose denominator is zero is NaN ("undefined"), not 0: the precision of a class that
/// was never predicted, the recall of a class with no examples, and the accuracy of no
/// examples. That keeps "never right" (0) apart from "no evidence" (NaN); use
/// `value.isNaN ? 0 : value` where a number is needed.
///
/// ```swift
/// let matrix = try ConfusionMatrix(predicted: [0, 1, 1], actual: [0, 1, 0], classCount: 2)
/// matrix.counts       // [[1, 1], [0, 1]]
/// matrix.accuracy     // 2/3
/// matrix.precision(of: 1)   // 1/2
/// ```
public struct ConfusionMatrix: Equatable, Sendable {
    /// The most classes a matrix may have (its counts take `classCount²` integers).
    public static let maximumClassCount = 4096

    /// The number of classes.
    public let classCount: Int
    /// `counts[t][p]`: examples of true class `t` predicted as class `p`.
    public let counts: [[Int]]

    /// Counts each (actual, predicted) pair.
    ///
    /// - Parameters:
    ///   - predicted: the predicted class of each example.
    ///   - actual: the true class of each example, in the same order.
    ///   - classCount: the number of classes; every label must be in `0..<classCount`.
    /// - Throws: `MicrogradError.lengthMismatch` when the arrays differ in length, or
    ///   `MicrogradError.invalidArgument` when `classCount` is outside
    ///   `1...maximumClassCount` or a label is out of range (naming the example).
    public init(predicted: [Int], actual: [Int], classCount: Int) throws {
        guard (1...Self.maximumClassCount).contains(classCount) else {
            throw MicrogradError.invalidArgument(
                "the class count must be in 1...\(Self.maximumClassCount), got \(classCount)")
        }
        guard predicted.count == actual.count else {
            throw MicrogradError.lengthMismatch(
                what: "predicted labels", expected: actual.count, given: predicted.count)
        }
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (index, (guess, truth)) in zip(predicted, actual).enumerated() {
            for (label, name) in [(truth, "true"), (guess, "predicted")] where !(0..<classCount).contains(label) {
                throw MicrogradError.invalidArgument(
                    "the \(name) label of example \(index) is \(label), outside 0..<\(classCount)")
            }
            counts[truth][guess] += 1
        }
        self.classCount = classCount
        self.counts = counts
    }

    /// The number of examples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The number of examples predicted correctly (the diagonal's sum).
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }

    /// The fraction of examples predicted correctly; NaN when there are none.
    public var accuracy: Double { Self.ratio(correct, total) }

    /// Of the examples predicted as `label`, the fraction that are truly `label`; NaN when
    /// none was predicted as `label` (and for a label outside `0..<classCount`).
    public func precision(of label: Int) -> Double {
        guard (0..<classCount).contains(label) else { return .nan }
        return Self.ratio(counts[label][label], counts.reduce(0) { $0 + $1[label] })
    }

    /// Of the examples truly of class `label`, the fraction predicted as `label`; NaN when
    /// there are none (and for a label outside `0..<classCount`).
    public func recall(of label: Int) -> Double {
        guard (0..<classCount).contains(label) else { return .nan }
        return Self.ratio(counts[label][label], counts[label].reduce(0, +))
    }

    /// The precision of each class, in class order.
    public var precisions: [Double] { (0..<classCount).map(precision(of:)) }

    /// The recall of each class, in class order.
    public var recalls: [Double] { (0..<classCount).map(recall(of:)) }

    /// `part / whole`, NaN for 0/0.
    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? .nan : Double(part) / Double(whole)
    }
}

/// Classification metrics computed from class indices.
public enum Metrics {
    /// The fraction of positions where `predicted` equals `actual`.
    ///
    /// - Parameters:
    ///   - predicted: the predicted class of each example.
    ///   - actual: the true class of each example, in the same order.
    /// - Throws: `MicrogradError.lengthMismatch` when the lengths differ, or
    ///   `MicrogradError.emptyBatch` when there are no examples.
    public static func accuracy(predicted: [Int], actual: [Int]) throws -> Double {
        guard predicted.count == actual.count else {
            throw MicrogradError.lengthMismatch(
                what: "predicted labels", expected: actual.count, given: predicted.count)
        }
        guard !actual.isEmpty else { throw MicrogradError.emptyBatch }
        let correct = zip(predicted, actual).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(actual.count)
    }

    /// The index of the largest score of each row (the first on ties; NaN scores never win,
    /// and a row of NaNs gives 0): turns a classifier's scores into predicted classes.
    public static func argmax(_ scores: [[Double]]) -> [Int] {
        scores.map { row in
            var best = 0
            var bestScore = -Double.infinity
            for (index, score) in row.enumerated() where score > bestScore {
                best = index
                bestScore = score
            }
            return best
        }
    }
}
