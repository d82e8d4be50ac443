import Foundation

/// karpathy's two-moons demo as a fixture: data, initial weights, the logged training run and
/// the final weights.
///
/// The bundled copy (`moons.json`, read by ``bundled()``) was made with micrograd itself:
/// `make_moons(n_samples: 100, noise: 0.1)` after `np.random.seed(1337)`, labels ±1, an
/// `MLP(2, [16, 16, 1])`, loss `mean(relu(1 - y·score)) + 1e-4·Σp²`, 100 SGD steps with
/// learning rate `1.0 - 0.9·k/100`, each log entry taken before its step's update.
///
/// Numbers are read with `Double(String)` from their literal text, so they are exact.
public struct MoonsFixture: Sendable {
    /// One row of the training log: the loss and accuracy at the start of a step.
    public struct LogEntry: Equatable, Sendable {
        /// The step, from 0.
        public let step: Int
        /// The total loss (data loss plus regularisation) before the step's update.
        public let loss: Double
        /// The fraction of points classified correctly before the step's update.
        public let accuracy: Double

        /// Creates a log entry.
        public init(step: Int, loss: Double, accuracy: Double) {
            self.step = step
            self.loss = loss
            self.accuracy = accuracy
        }
    }

    /// What the fixture says about how it was made.
    public let description: String
    /// The points, one row of `layers[0]` coordinates each.
    public let inputs: [[Double]]
    /// The labels, -1 or +1, one per point.
    public let labels: [Double]
    /// The layer widths including the input width (`[2, 16, 16, 1]`).
    public let layers: [Int]
    /// The parameters before training, in micrograd's `parameters()` order.
    public let initialParameters: [Double]
    /// The loss and accuracy of every step.
    public let log: [LogEntry]
    /// The parameters after the last step, in `parameters()` order.
    public let finalParameters: [Double]

    /// Loads the copy bundled with the library.
    public static func bundled() throws -> MoonsFixture {
        guard let url = Bundle.module.url(forResource: "moons", withExtension: "json") else {
            throw MicrogradError.badFile(path: "moons.json", reason: "the bundled resource is missing")
        }
        return try MoonsFixture(contentsOf: url)
    }

    /// Loads a fixture file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MicrogradError.badFile(path: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(json: Array(data), path: url.path)
    }

    /// Parses a fixture from JSON bytes; `path` names the source in error messages.
    public init(json: [UInt8], path: String = "<memory>") throws {
        let document: JSONValue
        do {
            document = try JSONReader.parse(json)
        } catch {
            throw MicrogradError.badFile(path: path, reason: "not valid JSON: \(error)")
        }
        let fields = FixtureFields(document: document, path: path)
        description = try fields.string("description")
        inputs = try fields.matrix("X")
        labels = try fields.numbers("y")
        layers = try fields.numbers("layers").map { Int(exactly: $0) ?? 0 }
        initialParameters = try fields.numbers("initial_parameters")
        log = try fields.log("log")
        finalParameters = try fields.numbers("final_parameters")
        try validate(path: path)
    }

    /// Checks that the parts fit together (sizes, labels, finite numbers).
    private func validate(path: String) throws {
        func bad(_ reason: String) -> MicrogradError { .badFile(path: path, reason: reason) }
        guard layers.count >= 2, layers.allSatisfy({ $0 > 0 }) else {
            throw bad("\"layers\" must hold at least two positive integers, got \(layers)")
        }
        guard !inputs.isEmpty else { throw bad("\"X\" has no rows") }
        if let row = inputs.firstIndex(where: { $0.count != layers[0] }) {
            throw bad("row \(row) of \"X\" has \(inputs[row].count) numbers, expected \(layers[0])")
        }
        guard labels.count == inputs.count else {
            throw bad("\"y\" has \(labels.count) labels for \(inputs.count) rows")
        }
        guard labels.allSatisfy({ $0 == 1 || $0 == -1 }) else { throw bad("\"y\" must hold only -1 and 1") }
        let count = parameterCount
        guard initialParameters.count == count, finalParameters.count == count else {
            throw bad("layers \(layers) have \(count) parameters; initial_parameters has \(initialParameters.count), final_parameters \(finalParameters.count)")
        }
        let all = inputs.joined() + initialParameters + finalParameters + log.map(\.loss)
        guard all.allSatisfy(\.isFinite) else { throw bad("non-finite number") }
    }

    /// The number of parameters of an MLP with the fixture's layer widths.
    public var parameterCount: Int {
        zip(layers, layers.dropFirst()).reduce(0) { $0 + $1.1 * ($1.0 + 1) }
    }

    /// The points and labels as a data set.
    public var dataset: Dataset {
        // The fixture was validated on load, so this cannot fail.
        try! Dataset(rows: inputs, targets: labels)
    }

    /// A fresh MLP with the fixture's layers (ReLU hidden, linear output), holding
    /// ``initialParameters``.
    public func makeModel() throws -> MLP {
        let model = MLP(inputs: layers[0], layers: Array(layers.dropFirst()))
        try model.loadParameters(initialParameters)
        return model
    }
}
