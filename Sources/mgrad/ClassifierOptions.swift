import ArgumentParser
import Foundation
import Micrograd

/// The optimiser of `mgrad train digits|csv`.
enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case adam, sgd, momentum
}

/// A comma-separated list of hidden-layer widths, such as `32,16` (`none`: no hidden layer).
struct LayerWidths: ExpressibleByArgument {
    let widths: [Int]

    init?(argument: String) {
        if argument == "none" {
            widths = []
            return
        }
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count, numbers.allSatisfy({ (1...100_000).contains($0) }) else { return nil }
        widths = numbers
    }

    static var defaultValueDescription: String { "64,32" }
}

/// How a CSV file is read: its label column and whether it has a header line.
struct CSVOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The label column: an index counted from 0, a name from the header, or 'last'.", valueName: "K"))
    var labelColumn: String?

    @Flag(name: .long, help: "The CSV's first line names the columns (implied by a named --label-column).")
    var header = false

    /// The label column as `CSVTable` takes it (`.last` when not given).
    var label: CSVTable.LabelColumn {
        guard let labelColumn else { return .last }
        if labelColumn == "last" { return .last }
        if let index = Int(labelColumn) { return .index(index) }
        return .named(labelColumn)
    }

    /// Whether the first line is a header: `--header`, or a label column given by name.
    var hasHeader: Bool {
        if case .named = label { return true }
        return header
    }

    func validate() throws {
        if let labelColumn, labelColumn.isEmpty {
            throw ValidationError("--label-column must name a column")
        }
        if case .index(let index) = label, index < 0 {
            throw ValidationError("--label-column must be an index from 0 or a name, got \(index)")
        }
    }
}

/// The options of `mgrad train digits` and `mgrad train csv`; nil where not given, so that
/// `train moons|xor` can reject them.
struct ClassifierOptions: ParsableArguments {
    @Option(name: .long, help: "digits, csv: passes over the training rows (default 20).")
    var epochs: Int?

    @Option(name: .long, help: "digits, csv: rows per minibatch (default 32).")
    var batch: Int?

    @Option(name: .long, help: "digits, csv: adam, sgd or momentum (default adam).")
    var optimizer: OptimizerChoice?

    @Option(name: .long, help: "digits, csv: the learning rate (default 0.01 for adam, 0.1 otherwise).")
    var lr: Double?

    @Option(name: .long, help: "digits, csv: L2 coefficient alpha of alpha * sum of squared parameters (default 0).")
    var l2: Double?

    @Option(name: .long, help: ArgumentHelp(
        "digits, csv: hidden-layer widths, comma-separated, or 'none' (default 64,32).", valueName: "widths"))
    var layers: LayerWidths?

    @Option(name: .long, help: ArgumentHelp("digits, csv: write a checkpoint of the trained model.",
                                            valueName: "file"))
    var save: String?

    @Option(name: .long, help: "csv: the number of classes (default: the largest label + 1).")
    var classes: Int?

    @Option(name: .long, help: "csv: the share of rows held out for testing (default 0.2).")
    var testFraction: Double?

    @OptionGroup var csv: CSVOptions

    /// Whether any option of this group was given.
    var anyGiven: Bool {
        epochs != nil || batch != nil || l2 != nil || optimizer != nil || lr != nil || layers != nil || save != nil
            || classes != nil || testFraction != nil || csv.labelColumn != nil || csv.header
    }

    func validate() throws {
        if let epochs, !(1...100_000).contains(epochs) {
            throw ValidationError("--epochs must be between 1 and 100000, got \(epochs)")
        }
        if let batch, batch < 1 {
            throw ValidationError("--batch must be at least 1, got \(batch)")
        }
        if let lr, !(lr.isFinite && lr > 0) {
            throw ValidationError("--lr must be a positive number, got \(lr)")
        }
        if let l2, !(l2.isFinite && l2 >= 0) {
            throw ValidationError("--l2 must be a number >= 0, got \(l2)")
        }
        if let classes, !(2...ConfusionMatrix.maximumClassCount).contains(classes) {
            let most = ConfusionMatrix.maximumClassCount
            throw ValidationError("--classes must be between 2 and \(most), got \(classes)")
        }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction must be between 0 and 1 (exclusive), got \(testFraction)")
        }
        if let save, save.isEmpty {
            throw ValidationError("--save must name a file")
        }
    }

    /// The optimiser for the chosen kind and learning rate.
    func makeOptimizer() -> any Optimizer {
        let kind = optimizer ?? .adam
        switch kind {
        case .adam: return Adam(learningRate: lr ?? 0.01)
        case .sgd: return SGD(learningRate: lr ?? 0.1)
        case .momentum: return MomentumSGD(learningRate: lr ?? 0.1, momentum: 0.9)
        }
    }
}
