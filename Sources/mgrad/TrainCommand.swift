import ArgumentParser
import Foundation
import Micrograd

/// `mgrad train moons|xor`: trains an example network, printing one progress line per step and
/// writing a loss curve and a decision boundary as SVG.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the two-moons classifier (karpathy's demo), a tiny XOR network, or a digits or CSV "
            + "classifier.",
        discussion: """
            moons: MLP(2, [16, 16, 1]) on the two-moons fixture compiled into the program (or --fixture FILE), \
            from the fixture's initial weights (or from --seed); hinge loss + 1e-4 L2; SGD with learning rate \
            1.0 - 0.9*k/steps.

            xor: MLP(2, [4, 1]) with tanh, mean squared error, SGD.

            Each step prints its loss and accuracy (before the update), its learning rate and its time. \
            loss-curve.svg and decision-boundary.svg are written to the output directory.

            digits: MLP(64, [64, 32, 10]) (--layers sets the hidden widths), ReLU hidden layers and a linear \
            output, weights scaled by 1/sqrt(fan-in), softmax cross-entropy, 20 epochs of minibatches of 32 \
            shuffled each epoch with --seed, Adam with learning rate 0.01, on the bundled 8x8 digits (1437 \
            training rows, 360 test rows).

            csv FILE: the same on a numeric CSV whose --label-column holds class indices (0, 1, ...); \
            --test-fraction of the rows (shuffled with --seed) are held out for testing.

            digits and csv print one line per epoch (mean loss, train and test accuracy, time), then the \
            test confusion matrix; --save writes a checkpoint (see `mgrad eval`), --out DIR writes \
            confusion-matrix.svg, training-history.svg and (digits) test-digits.svg.
            """
    )

    /// The network to train.
    enum Task: String, ExpressibleByArgument, CaseIterable {
        case moons, xor, digits, csv
    }

    @Argument(help: "What to train: moons, xor, digits or csv.")
    var task: Task

    @Argument(help: ArgumentHelp("csv: the CSV file to train on.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: "Number of SGD steps (default: 100 for moons, 200 for xor).")
    var steps: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Directory for the SVG pictures (moons, xor: default demo-output; digits, csv: none without it).",
            valueName: "dir"))
    var out: String?

    @Option(
        name: .long,
        help: """
            Initialise the weights from this seed (moons: instead of the fixture's weights; xor: default 3; \
            digits, csv: also shuffles the batches and the CSV's rows, default 1).
            """)
    var seed: UInt64?

    @Option(
        name: .long,
        help: ArgumentHelp("moons: read this fixture file instead of the compiled-in one.", valueName: "file"))
    var fixture: String?

    @Flag(name: .long, help: "Print only the summary, not a line per step.")
    var quiet = false

    @Flag(
        name: .long,
        help: """
            Train with the compiled step (JIT: forward, backward and update as native code); \
            prints compile time and time per step.
            """)
    var jit = false

    @OptionGroup(title: "Classifier options (digits, csv)")
    var classifier: ClassifierOptions

    func validate() throws {
        if out?.isEmpty == true {
            throw ValidationError("--out must name a directory")
        }
        switch task {
        case .moons, .xor:
            if classifier.anyGiven {
                throw ValidationError("--epochs, --batch, --l2, --optimizer, --lr, --layers, --save, --classes, "
                    + "--test-fraction, --label-column and --header apply to digits and csv only")
            }
        case .digits, .csv:
            if steps != nil { throw ValidationError("--steps applies to moons and xor; use --epochs") }
            if fixture != nil { throw ValidationError("--fixture applies to moons only") }
        }
        if task == .csv {
            if file == nil {
                throw ValidationError("train csv needs a CSV file: mgrad train csv FILE --label-column K")
            }
        } else {
            if let file { throw ValidationError("only train csv takes a file, got '\(file)'") }
            if classifier.classes != nil || classifier.testFraction != nil || classifier.csv.labelColumn != nil
                || classifier.csv.header {
                throw ValidationError("--classes, --test-fraction, --label-column and --header apply to csv only")
            }
        }
        if let steps, !(1...1_000_000).contains(steps) {
            throw ValidationError("--steps must be between 1 and 1000000, got \(steps)")
        }
        if fixture != nil, task != .moons {
            throw ValidationError("--fixture applies to moons only")
        }
    }

    func run() throws {
        if task == .digits || task == .csv {
            return try runClassifier()
        }
        let directory = try makeOutputDirectory(out ?? "demo-output")
        let (trainer, dataset, stepCount) = try makeTrainer()
        let parameters = trainer.model.parameterCount
        print("training \(task.rawValue): \(parameters) parameters, \(dataset.count) points, \(stepCount) steps")
        let start = ContinuousClock.now
        let progress: (TrainingProgress) -> Void = { report in
            if !quiet { print(Self.line(for: report)) }
        }
        let reports = jit
            ? try fitCompiled(trainer, dataset, steps: stepCount, progress: progress)
            : try trainer.fit(dataset, steps: stepCount, progress: progress)
        let elapsed = ContinuousClock.now - start
        let accuracy = try Evaluation.accuracy(of: trainer.model, on: dataset, objective: trainer.objective)
        print("final accuracy \(Self.percent(accuracy)) after \(stepCount) steps in \(Self.milliseconds(elapsed))")
        try writePictures(reports: reports, model: trainer.model, dataset: dataset, to: directory)
    }

    /// The trainer, data set and step count for the chosen task.
    private func makeTrainer() throws -> (Trainer, Dataset, Int) {
        switch task {
        case .moons:
            let data = try fixture.map { try MoonsFixture(contentsOf: URL(fileURLWithPath: $0)) }
                ?? MoonsFixture.bundled()
            let model: MLP
            if let seed {
                // The layer widths come from a file: the checked initialiser throws on a bad shape.
                model = try MLP(validatingInputs: data.layers[0], layers: Array(data.layers.dropFirst()), seed: seed)
            } else {
                model = try data.makeModel()
            }
            let stepCount = steps ?? data.log.count
            return (Trainer.karpathyMoons(model: model, steps: stepCount), data.dataset, stepCount)
        case .xor, .digits, .csv:   // digits and csv never come here (runClassifier)
            let (trainer, dataset) = XORProblem.makeTrainer(seed: seed ?? 3)
            return (trainer, dataset, steps ?? XORProblem.steps)
        }
    }

    /// Creates the output directory `out` (before training, so a bad path fails fast).
    func makeOutputDirectory(_ out: String) throws -> URL {
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            let reason = "cannot create the directory (\(error.localizedDescription))"
            throw MicrogradError.badFile(path: out, reason: reason)
        }
        return directory
    }

    /// Writes `loss-curve.svg` and `decision-boundary.svg` into `directory`.
    private func writePictures(reports: [TrainingProgress], model: MLP, dataset: Dataset, to directory: URL) throws {
        let curve = Plot.lossCurve(
            losses: reports.map(\.loss), accuracies: reports.map(\.accuracy),
            title: "\(task.rawValue): loss and accuracy")
        let boundary = Plot.decisionBoundary(
            inputs: dataset.rows, labels: dataset.targets, resolution: 60, title: "\(task.rawValue): decision boundary"
        ) { point in
            (try? Evaluation.scores(of: model, rows: [point]))?.first ?? .nan
        }
        for (name, text) in [("loss-curve.svg", curve), ("decision-boundary.svg", boundary)] {
            try writeText(text, to: directory.appendingPathComponent(name))
        }
    }

    /// Writes `text` to `file` and says so.
    func writeText(_ text: String, to file: URL) throws {
        do {
            try Data(text.utf8).write(to: file)
        } catch {
            throw MicrogradError.badFile(path: file.path, reason: error.localizedDescription)
        }
        print("wrote \(file.path)")
    }

    private static func line(for report: TrainingProgress) -> String {
        "step \(report.step) loss \(report.loss) accuracy \(percent(report.accuracy)) lr \(report.learningRate) "
            + "time \(milliseconds(report.duration))"
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f ms", Double(seconds) * 1e3 + Double(attoseconds) * 1e-15)
    }
}
