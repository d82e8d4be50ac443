import Foundation
@testable import Micrograd
import Testing

/// The minibatch epoch loop, classifier evaluation on plain numbers and the confusion-matrix text.
@Suite("EpochTrainer, classifier evaluation, confusion-matrix text")
struct EpochTrainerTests {
    /// Three well-separated 2-D blobs, class = blob.
    static func blobs(count: Int, seed: UInt64) throws -> Dataset {
        var random = RandomSource(seed: seed)
        var rows: [[Double]] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 3
            let centre = [[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]][label]
            rows.append(centre.map { $0 + (Double(random.next() % 1000) / 1000 - 0.5) })
            labels.append(label)
        }
        return try Dataset(rows: rows, classLabels: labels, classCount: 3)
    }

    static func trainer(seed: UInt64) -> Trainer {
        let model = MLP(inputs: 2, layers: [8, 3], seed: seed)
        return Trainer(model: model, objective: .softmaxCrossEntropy, optimizer: Adam(learningRate: 0.05))
    }

    @Test("the loop learns separable blobs, one update per minibatch, epochs numbered from 1")
    func learns() throws {
        let train = try Self.blobs(count: 90, seed: 1)
        let test = try Self.blobs(count: 30, seed: 2)
        let trainer = Self.trainer(seed: 3)
        let loop = try EpochTrainer(batchSize: 16, seed: 4)
        var seen: [Int] = []
        var batchCalls = 0
        let reports = try loop.fit(
            epochs: 8, model: trainer.model, train: train, test: test,
            batchDone: { _, done, total in
                batchCalls += 1
                #expect(done >= 1 && done <= total)
            },
            epochDone: { seen.append($0.epoch) }
        ) { try trainer.fitBatch(rows: $0.rows, targets: $0.targets) }
        #expect(seen == Array(1...8))
        #expect(reports.map(\.batchCount) == Array(repeating: 6, count: 8))   // 90 rows: 5 of 16 and 1 of 10
        #expect(batchCalls == 48)
        #expect(trainer.stepCount == 48)
        #expect(reports.last!.meanLoss < reports.first!.meanLoss)
        #expect(reports.last!.trainAccuracy >= 0.95)
        #expect(try #require(reports.last!.testAccuracy) >= 0.95)
        let outputs = try Evaluation.outputs(of: trainer.model, rows: test.rows)
        #expect(reports.last!.testLoss == (try Evaluation.meanCrossEntropy(outputs: outputs, targets: test.targets)))
    }

    @Test("the batches are the seeded shuffle of each epoch, so two runs are identical")
    func reproducible() throws {
        let train = try Self.blobs(count: 40, seed: 5)
        var firstRows: [[Double]] = []
        let loop = try EpochTrainer(batchSize: 40, seed: 9)
        let first = Self.trainer(seed: 1)
        let reports = try loop.fit(epochs: 2, model: first.model, train: train, test: nil) { batch in
            firstRows.append(batch.rows[0])
            return try first.fitBatch(rows: batch.rows, targets: batch.targets)
        }
        #expect(firstRows[0] == train.shuffled(seed: 9, epoch: 1).rows[0])
        #expect(firstRows[1] == train.shuffled(seed: 9, epoch: 2).rows[0])
        #expect(reports.allSatisfy { $0.testAccuracy == nil && $0.testLoss == nil })
        let second = Self.trainer(seed: 1)
        let again = try loop.fit(epochs: 2, model: second.model, train: train, test: nil) {
            try second.fitBatch(rows: $0.rows, targets: $0.targets)
        }
        #expect(again.map(\.meanLoss) == reports.map(\.meanLoss))
        #expect(second.model.storage.values == first.model.storage.values)
    }

    @Test("bad sizes and a failing update throw; no epochs is no report")
    func errors() throws {
        #expect(throws: MicrogradError.self) { try EpochTrainer(batchSize: 0, seed: 1) }
        let loop = try EpochTrainer(batchSize: 4, seed: 1)
        let train = try Self.blobs(count: 8, seed: 1)
        let model = MLP(inputs: 2, layers: [3], seed: 1)
        #expect(throws: MicrogradError.self) {
            try loop.fit(epochs: -1, model: model, train: train, test: nil) { _ in throw MicrogradError.emptyBatch }
        }
        #expect(try loop.fit(epochs: 0, model: model, train: train, test: nil) { _ in
            throw MicrogradError.emptyBatch
        }.isEmpty)
        #expect(throws: MicrogradError.emptyBatch) {
            try loop.fit(epochs: 1, model: model, train: train, test: nil) { _ in throw MicrogradError.emptyBatch }
        }
    }

    @Test("mean cross-entropy equals the graph's softmax cross-entropy")
    func crossEntropy() throws {
        let rows: [[Double]] = [[1, 2, 3], [1000, -1000, 0], [0.5, 0.5, 0.5]]
        let labels: [Double] = [2, 1, 0]
        let graph = try Loss.softmaxCrossEntropy(logits: rows.map { $0.map { Value($0) } }, labels: labels)
        let plain = try Evaluation.meanCrossEntropy(outputs: rows, targets: labels)
        #expect(abs(plain - graph.data) <= 1e-12 * abs(graph.data))
        #expect(throws: MicrogradError.self) { try Evaluation.meanCrossEntropy(outputs: rows, targets: [0, 1]) }
        #expect(throws: MicrogradError.self) { try Evaluation.meanCrossEntropy(outputs: rows, targets: [0, 1, 3]) }
        #expect(throws: MicrogradError.self) { try Evaluation.meanCrossEntropy(outputs: [], targets: []) }
    }

    @Test("the confusion matrix of a model matches its predictions; mismatched classes throw")
    func modelMatrix() throws {
        let data = try Self.blobs(count: 12, seed: 3)
        let model = MLP(inputs: 2, layers: [3], seed: 2)
        let matrix = try Evaluation.confusionMatrix(of: model, on: data)
        let predicted = try Evaluation.predictedClasses(of: model, rows: data.rows)
        #expect(matrix == (try ConfusionMatrix(predicted: predicted, actual: data.classLabels!, classCount: 3)))
        #expect(matrix.accuracy == (try Evaluation.accuracy(of: model, on: data, objective: .softmaxCrossEntropy)))
        #expect(throws: MicrogradError.self) {
            try Evaluation.confusionMatrix(of: MLP(inputs: 2, layers: [4], seed: 1), on: data)
        }
        #expect(throws: MicrogradError.self) {
            try Evaluation.confusionMatrix(of: model, on: try Dataset(rows: [[0, 0]], targets: [1]))
        }
        let nan = MLP(inputs: 2, layers: [3], seed: 2)
        try nan.loadParameters(Array(repeating: .nan, count: nan.parameters.count))
        #expect(throws: MicrogradError.self) { try Evaluation.predictedClasses(of: nan, rows: [[0, 0]]) }
    }

    @Test("the text table: counts, recall per row, precision per column, '-' when undefined")
    func textTable() throws {
        let matrix = try ConfusionMatrix(predicted: [0, 1, 1], actual: [0, 1, 0], classCount: 3)
        // Every column is as wide as the widest cell ("0.500") plus one space.
        #expect(matrix.textTable() == """
            true\\pred     0     1     2  recall
                    0     1     1     0   0.500
                    1     0     1     0   1.000
                    2     0     0     0       -
            precision 1.000 0.500     -

            """)
    }

    @Test("fan-in scaling divides weights, not biases, by the square root of the layer's inputs")
    func fanIn() throws {
        let model = MLP(inputs: 4, layers: [2, 1], seed: 7)
        let before = model.storage.values
        model.scaleWeightsByFanIn()
        let after = model.storage.values
        // Layer 1: two neurons of 4 weights + bias; layer 2: one neuron of 2 weights + bias.
        let scales: [Double] = [0.5, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 0.5, 1,
                                1 / 2.0.squareRoot(), 1 / 2.0.squareRoot(), 1]
        #expect(after == zip(before, scales).map { $0 * $1 })
    }

    @Test("a CSV's class count is its largest label + 1; a non-index label is named by line")
    func inferredClasses() throws {
        let table = try CSVTable(csv: Array("a,y\n1,0\n2,4\n3,1\n".utf8), hasHeader: true)
        #expect(try table.inferredClassCount() == 5)
        let bad = try CSVTable(csv: Array("a,y\n1,0\n2,1.5\n".utf8), hasHeader: true)
        #expect(throws: MicrogradError.self) { try bad.inferredClassCount() }
        do {
            _ = try bad.inferredClassCount()
        } catch {
            #expect("\(error)".contains("line 3"))
        }
    }
}
