/// The XOR problem: four points a linear model cannot separate, learnt by a small tanh MLP.
///
/// Inputs are the corners of the unit square, targets -1 (same bits) and +1 (different bits).
/// The model is `MLP(inputs: 2, layers: [4, 1])` with tanh on both layers, trained with the
/// mean squared error and plain SGD.
public enum XORProblem {
    /// The four points and their targets.
    public static let dataset: Dataset = {
        // NOTE: the `try!` cannot fail: four rows of width 2, four targets, all finite, which is
        // everything `Dataset.init` checks (OptimizerTests trains on this set).
        try! Dataset(rows: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [-1, 1, 1, -1])
    }()

    /// The number of full-batch steps that is enough for the default seed.
    public static let steps = 200

    /// The constant learning rate.
    public static let learningRate = 0.2

    /// A fresh model and a trainer for it, and the data set to fit.
    public static func makeTrainer(seed: UInt64) -> (trainer: Trainer, dataset: Dataset) {
        let model = MLP(inputs: 2, layers: [4, 1], activations: [.tanh, .tanh], seed: seed)
        let trainer = Trainer(
            model: model, objective: .meanSquaredError(threshold: 0),
            optimizer: SGD(learningRate: learningRate))
        return (trainer, dataset)
    }
}
