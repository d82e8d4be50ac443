import Foundation
import JIT
import Micrograd

/// The data of `mgrad train digits|csv`.
struct ClassifierData {
    let name: String
    let train: Dataset
    let test: Dataset
    let classCount: Int
    /// The bundled digits (for the picture of test digits); nil for a CSV.
    let digits: Digits?
}

/// An error of the command line that is not a bad argument (those are `ValidationError`s).
struct CommandError: Error, CustomStringConvertible {
    let description: String
}

extension TrainCommand {
    /// `mgrad train digits|csv`: an MLP classifier trained in minibatches with softmax
    /// cross-entropy (``EpochTrainer``), one progress line per epoch.
    func runClassifier() throws {
        let options = classifier
        let seed = self.seed ?? 1
        let directory = try out.map { try makeOutputDirectory($0) }
        let data = try loadClassifierData(seed: seed)
        let widths = (options.layers?.widths ?? [64, 32]) + [data.classCount]
        let model = try MLP(validatingInputs: data.train.featureCount, layers: widths, seed: seed)
        model.scaleWeightsByFanIn()
        let trainer = Trainer(model: model, objective: .softmaxCrossEntropy, regularization: options.l2 ?? 0,
                              optimizer: options.makeOptimizer())
        let epochs = options.epochs ?? 20
        let loop = try EpochTrainer(batchSize: options.batch ?? 32, seed: seed)
        print("""
            training \(data.name): MLP(\(model.inputCount), \(widths)) with \(model.parameterCount) parameters; \
            \(data.train.count) training rows, \(data.test.count) test rows; \
            \(options.optimizer ?? .adam) lr \(options.makeOptimizer().schedule.rate(at: 0)), \
            batch \(loop.batchSize), \(epochs) epochs, seed \(seed), \(jit ? "compiled (--jit)" : "interpreted")
            """)
        let (update, checkpoint) = try makeUpdate(trainer)
        let bar = ProgressBar(wanted: !quiet)
        let reports = try loop.fit(
            epochs: epochs, model: model, train: data.train, test: data.test,
            batchDone: { epoch, done, total in bar.update(label: "epoch \(epoch)", done: done, total: total) },
            epochDone: { report in
                bar.clear()
                if !quiet { print(Self.line(for: report, of: epochs)) }
            },
            update: update)
        let total = reports.reduce(Duration.zero) { $0 + $1.duration }
        let matrix = try Evaluation.confusionMatrix(of: model, on: data.test)
        print("test accuracy \(Self.percent(matrix.accuracy)) (\(matrix.correct)/\(matrix.total)) "
            + "after \(epochs) epochs; training time \(Self.seconds(total))")
        print("confusion matrix on the test rows:")
        print(matrix.textTable(), terminator: "")
        if let save = options.save {
            let url = URL(fileURLWithPath: save)
            try checkpoint().write(to: url)
            print("wrote \(url.path)")
        }
        if let directory {
            try writeClassifierPictures(reports: reports, matrix: matrix, model: model, data: data, to: directory)
        }
    }

    /// The training and test sets of the task.
    private func loadClassifierData(seed: UInt64) throws -> ClassifierData {
        if task == .digits {
            let digits = try Digits.bundled()
            return ClassifierData(name: "digits", train: digits.train, test: digits.test,
                                  classCount: digits.classCount, digits: digits)
        }
        guard let file else { throw CommandError(description: "train csv needs a CSV file") }
        let table = try CSVTable(contentsOf: URL(fileURLWithPath: file), hasHeader: classifier.csv.hasHeader,
                                 label: classifier.csv.label)
        let classCount = try classifier.classes ?? table.inferredClassCount()
        let dataset = try table.classDataset(classCount: classCount)
        guard dataset.count >= 2 else {
            throw CommandError(description: "\(file): at least 2 rows are needed (training and test), got 1")
        }
        let fraction = classifier.testFraction ?? 0.2
        let testCount = min(max(1, Int((fraction * Double(dataset.count)).rounded())), dataset.count - 1)
        let parts = try dataset.split(trainCount: dataset.count - testCount, shuffledWith: seed)
        return ClassifierData(name: file, train: parts.train, test: parts.test, classCount: classCount, digits: nil)
    }

    /// One minibatch update: the interpreter's, or (`--jit`) the compiled trainer's, which
    /// updates the same model's parameters; and the checkpoint of the trainer that ran (with
    /// its step count and optimiser state).
    private func makeUpdate(
        _ trainer: Trainer
    ) throws -> (update: (Dataset) throws -> TrainingProgress, checkpoint: () -> Checkpoint) {
        guard jit else {
            return ({ batch in try trainer.fitBatch(rows: batch.rows, targets: batch.targets) }, trainer.checkpoint)
        }
        let compiled: CompiledTrainer
        do {
            compiled = try JIT.jit(trainer)
        } catch {
            throw CommandError(description: "--jit: the training step cannot be compiled: \(error)")
        }
        print("jit: compiled the training step in \(Self.seconds(compiled.compileDuration))")
        return ({ batch in try compiled.fitBatch(rows: batch.rows, targets: batch.targets) }, compiled.checkpoint)
    }

    /// Writes the confusion matrix, the training history and (digits) a grid of test digits.
    private func writeClassifierPictures(
        reports: [EpochReport], matrix: ConfusionMatrix, model: MLP, data: ClassifierData, to directory: URL
    ) throws {
        var pictures = [
            ("confusion-matrix.svg", Plot.confusionMatrix(matrix, title: "\(data.name): test confusion matrix")),
            ("training-history.svg", Plot.trainingHistory(
                trainLoss: reports.map(\.meanLoss), testLoss: reports.map { $0.testLoss ?? .nan },
                trainAccuracy: reports.map(\.trainAccuracy), testAccuracy: reports.map { $0.testAccuracy ?? .nan },
                title: "\(data.name): loss and accuracy per epoch")),
        ]
        if let digits = data.digits, digits.shape.count == 2 {
            let shown = try data.test.subset(Array(0..<min(40, data.test.count)))
            let predicted = try Evaluation.predictedClasses(of: model, rows: shown.rows)
            let images = try zip(shown.rows, zip(shown.classLabels ?? [], predicted)).map { row, labels in
                try Plot.LabeledImage(pixels: row, width: digits.shape[1], height: digits.shape[0],
                                      label: labels.0, predicted: labels.1)
            }
            pictures.append(("test-digits.svg", Plot.imageGrid(
                images, columns: 10, intensity: 0...1, title: "digits: test images, true / predicted")))
        }
        for (name, text) in pictures {
            try writeText(text, to: directory.appendingPathComponent(name))
        }
    }

    static func line(for report: EpochReport, of epochs: Int) -> String {
        let test = report.testAccuracy.map(percent) ?? "-"
        return "epoch \(report.epoch)/\(epochs) loss \(String(format: "%.4f", report.meanLoss)) "
            + "train \(percent(report.trainAccuracy)) test \(test) time \(seconds(report.duration))"
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f s", Double(seconds) + Double(attoseconds) * 1e-18)
    }
}
