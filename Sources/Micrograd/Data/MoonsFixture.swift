import Foundation

/// karpathy's two-moons demo as a fixture: data, initial weights, the logged training run and
/// the final weights.
///
/// The copy compiled into the library (``bundled()``) was made with micrograd itself:
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
    /// The points and labels as a data set.
    public let dataset: Dataset

    /// The fixture compiled into the library (`moons.json`, made by
    /// `scripts/generate-fixture-source`): no file or resource bundle is read, so a copied-out
    /// binary works.
    public static func bundled() throws -> MoonsFixture {
        try bundledFixture.get()
    }

    /// Parsed once, on first use.
    private static let bundledFixture = Result {
        try MoonsFixture(json: Array(bundledJSON.utf8), path: "moons.json (compiled in)")
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
    ///
    /// - Throws: `MicrogradError.badFile` naming the line and column of a JSON syntax error, or
    ///   the field (and element) that is missing, of the wrong type, out of range or of the
    ///   wrong length.
    public init(json: [UInt8], path: String = "<memory>") throws {
        let fields = try FixtureFields(json: json, path: path)
        let description = try fields.string("description")
        let inputs = try fields.matrix("X")
        let labels = try fields.numbers("y")
        let layers = try fields.integers("layers")
        let initialParameters = try fields.numbers("initial_parameters")
        let log = try fields.log("log")
        let finalParameters = try fields.numbers("final_parameters")
        let count = try Self.validate(layers: layers, fields: fields)
        guard initialParameters.count == count, finalParameters.count == count else {
            throw fields.bad("""
                "layers" \(layers) have \(count) parameters; "initial_parameters" has \(initialParameters.count), \
                "final_parameters" \(finalParameters.count)
                """)
        }
        guard !inputs.isEmpty else { throw fields.bad("\"X\" has no rows") }
        if let row = inputs.firstIndex(where: { $0.count != layers[0] }) {
            throw fields.bad("row \(row) of \"X\" has \(inputs[row].count) numbers, expected \(layers[0])")
        }
        guard labels.count == inputs.count else {
            throw fields.bad("\"y\" has \(labels.count) labels for \(inputs.count) rows")
        }
        if let index = labels.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw fields.bad("element \(index) of \"y\" is \(labels[index]); \"y\" must hold only -1 and 1")
        }
        guard !log.isEmpty else { throw fields.bad("\"log\" has no entries") }
        self.description = description
        self.inputs = inputs
        self.labels = labels
        self.layers = layers
        self.initialParameters = initialParameters
        self.log = log
        self.finalParameters = finalParameters
        self.dataset = try Dataset(rows: inputs, targets: labels)
    }

    /// Checks the layer widths (at least two, each at least 1, a parameter count within
    /// ``MLP/maximumParameterCount``) and returns the parameter count.
    private static func validate(layers: [Int], fields: FixtureFields) throws -> Int {
        guard layers.count >= 2 else {
            throw fields.bad("\"layers\" must hold the input width and at least one layer, got \(layers)")
        }
        do {
            return try MLP.parameterCount(inputs: layers[0], layers: Array(layers.dropFirst()))
        } catch let error as MicrogradError {
            throw fields.bad("\"layers\" \(layers): \(error)")
        }
    }

    /// The number of parameters of an MLP with the fixture's layer widths.
    public var parameterCount: Int {
        initialParameters.count
    }

    /// A fresh MLP with the fixture's layers (ReLU hidden, linear output), holding
    /// ``initialParameters``.
    public func makeModel() throws -> MLP {
        let model = try MLP(validatingInputs: layers[0], layers: Array(layers.dropFirst()))
        try model.loadParameters(initialParameters)
        return model
    }
}
