import Foundation

/// Adam, as PyTorch's `torch.optim.Adam` defines it (without AMSGrad), with its defaults:
/// learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, no weight decay.
///
/// For each learnable parameter `p` with gradient `g`, at learning rate `lr`, `t` being that
/// parameter's own number of updates (1 on its first):
///
/// ```
/// g = g + weightDecay · p                  (if weightDecay ≠ 0)
/// m = β1 · m + (1 - β1) · g                (m and v start at 0)
/// v = β2 · v + (1 - β2) · g · g
/// p = p - (lr / (1 - β1^t)) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
/// ```
///
/// Frozen parameters (`isLearnable == false`) are skipped: unchanged, and their moments and
/// step count not updated (as PyTorch skips a parameter without a gradient).
public struct Adam: Optimizer {
    /// The learning rate of each step.
    public var schedule: LearningRateSchedule
    /// The decay rate of the first moment (the mean of the gradients), in [0, 1).
    public var beta1: Double
    /// The decay rate of the second moment (the mean of the squared gradients), in [0, 1).
    public var beta2: Double
    /// Added to the denominator for stability, at least 0.
    public var epsilon: Double
    /// The L2 penalty added to each gradient as `weightDecay · p`, at least 0 (coupled: it
    /// goes through the moments; `AdamW` decays the parameters directly instead).
    public var weightDecay: Double
    /// The moments and step count of each parameter.
    public private(set) var state = AdamState()

    /// Creates an optimiser with a learning-rate schedule; the hyperparameters are checked at
    /// each update.
    public init(
        schedule: LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Creates an optimiser with a constant learning rate (PyTorch's 1e-3 by default).
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(
            schedule: .constant(learningRate), beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: weightDecay)
    }

    /// Applies one update with the rate of step `step` and returns that rate.
    ///
    /// - Throws: `MicrogradError.nonFiniteInput` for a non-finite rate; `.invalidArgument` for a
    ///   beta outside [0, 1), a negative or non-finite epsilon or weight decay, or parameters
    ///   other than those of earlier updates. Nothing is changed then.
    @discardableResult
    public mutating func update(_ parameters: [Value], step: Int) throws -> Double {
        let rate = try schedule.checkedRate(at: step)
        try state.update(
            parameters, rate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: weightDecay, decoupled: false, optimizer: "Adam")
        return rate
    }
}

/// AdamW, as PyTorch's `torch.optim.AdamW` defines it (without AMSGrad), with its defaults:
/// learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, weight decay 0.01.
///
/// Adam with decoupled weight decay: each learnable parameter is first decayed,
/// `p = p · (1 - lr · weightDecay)`, then updated by Adam's rule from its gradient alone
/// (see `Adam`). Frozen parameters are skipped, their state untouched.
public struct AdamW: Optimizer {
    /// The learning rate of each step.
    public var schedule: LearningRateSchedule
    /// The decay rate of the first moment (the mean of the gradients), in [0, 1).
    public var beta1: Double
    /// The decay rate of the second moment (the mean of the squared gradients), in [0, 1).
    public var beta2: Double
    /// Added to the denominator for stability, at least 0.
    public var epsilon: Double
    /// The decoupled decay: each step multiplies a parameter by `1 - lr · weightDecay`.
    public var weightDecay: Double
    /// The moments and step count of each parameter.
    public private(set) var state = AdamState()

    /// Creates an optimiser with a learning-rate schedule; the hyperparameters are checked at
    /// each update.
    public init(
        schedule: LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0.01
    ) {
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Creates an optimiser with a constant learning rate (PyTorch's 1e-3 by default).
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0.01
    ) {
        self.init(
            schedule: .constant(learningRate), beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: weightDecay)
    }

    /// Applies one update with the rate of step `step` and returns that rate.
    ///
    /// - Throws: as `Adam`'s update.
    @discardableResult
    public mutating func update(_ parameters: [Value], step: Int) throws -> Double {
        let rate = try schedule.checkedRate(at: step)
        try state.update(
            parameters, rate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: weightDecay, decoupled: true, optimizer: "AdamW")
        return rate
    }
}

/// The per-parameter state of `Adam` and `AdamW`, by position in the parameters.
public struct AdamState: Sendable, Equatable {
    /// The first moment (running mean of the gradients) of each parameter.
    public private(set) var firstMoments: [Double] = []
    /// The second moment (running mean of the squared gradients) of each parameter.
    public private(set) var secondMoments: [Double] = []
    /// How many updates each parameter has had (frozen steps not counted).
    public private(set) var stepCounts: [Int] = []

    /// Creates empty state; it is sized at the first update.
    public init() {}

    mutating func update(
        _ parameters: [Value], rate: Double, beta1: Double, beta2: Double, epsilon: Double,
        weightDecay: Double, decoupled: Bool, optimizer: String
    ) throws {
        try Self.validate(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        try checkStateCount(stepCounts.count, parameters: parameters.count, optimizer: optimizer)
        if stepCounts.isEmpty {
            firstMoments = Array(repeating: 0, count: parameters.count)
            secondMoments = Array(repeating: 0, count: parameters.count)
            stepCounts = Array(repeating: 0, count: parameters.count)
        }
        for (index, parameter) in parameters.enumerated() where parameter.isLearnable {
            stepCounts[index] += 1
            let t = Double(stepCounts[index])
            var g = parameter.grad
            if decoupled {
                parameter.data *= 1 - rate * weightDecay
            } else if weightDecay != 0 {
                g = g + weightDecay * parameter.data
            }
            let m = beta1 * firstMoments[index] + (1 - beta1) * g
            let v = beta2 * secondMoments[index] + (1 - beta2) * g * g
            firstMoments[index] = m
            secondMoments[index] = v
            let stepSize = rate / (1 - pow(beta1, t))
            let denominator = (v.squareRoot() / (1 - pow(beta2, t)).squareRoot()) + epsilon
            parameter.data -= stepSize * (m / denominator)
        }
    }
}

extension AdamState {
    /// Checks Adam's and AdamW's hyperparameters: betas in [0, 1), epsilon and weight decay
    /// finite and at least 0.
    static func validate(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double) throws {
        try checkHyperparameter("beta1", beta1, in: 0..<1)
        try checkHyperparameter("beta2", beta2, in: 0..<1)
        try checkHyperparameter("epsilon", epsilon, in: 0..<Double.infinity)
        try checkHyperparameter("weight decay", weightDecay, in: 0..<Double.infinity)
    }

    /// `adam.m`, `adam.v` and `adam.t` (empty before the first update).
    var savedState: [String: [Double]] {
        guard !stepCounts.isEmpty else { return [:] }
        return ["adam.m": firstMoments, "adam.v": secondMoments, "adam.t": stepCounts.map(Double.init)]
    }

    /// The state ``savedState`` describes (an empty dictionary: fresh).
    init(saved state: [String: [Double]], parameterCount: Int) throws {
        guard !state.isEmpty else { return }
        firstMoments = try stateArray(state, "adam.m", count: parameterCount)
        secondMoments = try stateArray(state, "adam.v", count: parameterCount)
        stepCounts = try stateCounts(try stateArray(state, "adam.t", count: parameterCount), "adam.t")
        guard secondMoments.allSatisfy({ $0 >= 0 }) else {
            throw MicrogradError.invalidArgument("the optimiser state \"adam.v\" holds a negative second moment")
        }
    }
}

extension Adam {
    /// Checks the hyperparameters as each update does: betas in [0, 1), epsilon and weight
    /// decay finite and at least 0.
    ///
    /// - Throws: `MicrogradError.invalidArgument` naming the bad hyperparameter.
    public func validate() throws {
        try AdamState.validate(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// The moments and update counts (see ``AdamState``), empty before the first update.
    public var savedState: [String: [Double]] { state.savedState }

    /// Restores ``savedState``'s arrays.
    public mutating func restoreState(_ saved: [String: [Double]], parameterCount: Int) throws {
        state = try AdamState(saved: saved, parameterCount: parameterCount)
    }
}

extension AdamW {
    /// Checks the hyperparameters as each update does: betas in [0, 1), epsilon and weight
    /// decay finite and at least 0.
    ///
    /// - Throws: `MicrogradError.invalidArgument` naming the bad hyperparameter.
    public func validate() throws {
        try AdamState.validate(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// The moments and update counts (see ``AdamState``), empty before the first update.
    public var savedState: [String: [Double]] { state.savedState }

    /// Restores ``savedState``'s arrays.
    public mutating func restoreState(_ saved: [String: [Double]], parameterCount: Int) throws {
        state = try AdamState(saved: saved, parameterCount: parameterCount)
    }
}
