import ArgumentParser
import Foundation
import Micrograd

/// `mgrad eval FILE`: loads a checkpoint and prints its accuracy and confusion matrix on the
/// digits test set or on the rows of a CSV file.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a saved classifier (a checkpoint of `mgrad train digits|csv --save`).",
        discussion: """
            Prints the accuracy and the confusion matrix (rows: true classes, columns: predictions) of the \
            checkpoint's network on the bundled digits test set (--data digits) or on every row of a CSV \
            file (--csv FILE --label-column K; the labels are class indices below the network's outputs).
            """
    )

    /// The built-in data sets.
    enum BuiltIn: String, ExpressibleByArgument, CaseIterable {
        case digits
    }

    @Argument(help: ArgumentHelp("The checkpoint file.", valueName: "checkpoint"))
    var checkpoint: String

    @Option(name: .long, help: "A built-in data set: digits (its 360 test rows).")
    var data: BuiltIn?

    @Option(name: .long, help: ArgumentHelp("Evaluate on every row of this CSV file.", valueName: "file"))
    var csv: String?

    @OptionGroup var csvOptions: CSVOptions

    func validate() throws {
        switch (data, csv) {
        case (nil, nil): throw ValidationError("say what to evaluate on: --data digits or --csv FILE")
        case (.some, .some): throw ValidationError("give --data or --csv, not both")
        case (.some, nil):
            if csvOptions.labelColumn != nil || csvOptions.header {
                throw ValidationError("--label-column and --header apply to --csv only")
            }
        case (nil, .some): break
        }
    }

    func run() throws {
        let model = try MLP.load(from: URL(fileURLWithPath: checkpoint))
        let dataset: Dataset
        let name: String
        if let csv {
            let table = try CSVTable(contentsOf: URL(fileURLWithPath: csv), hasHeader: csvOptions.hasHeader,
                                     label: csvOptions.label)
            dataset = try table.classDataset(classCount: model.outputCount)
            name = csv
        } else {
            dataset = try Digits.bundled().test
            name = "the digits test set"
        }
        guard dataset.featureCount == model.inputCount else {
            throw CommandError(description: """
                \(checkpoint): the network takes \(model.inputCount) inputs, but the rows of \(name) have \
                \(dataset.featureCount) features
                """)
        }
        let matrix = try Evaluation.confusionMatrix(of: model, on: dataset)
        let widths = model.layers.map(\.outputCount)
        print("\(checkpoint): MLP(\(model.inputCount), \(widths)) with \(model.parameterCount) parameters")
        print("accuracy \(String(format: "%.1f%%", matrix.accuracy * 100)) (\(matrix.correct)/\(matrix.total)) "
            + "on \(name)")
        print(matrix.textTable(), terminator: "")
    }
}
