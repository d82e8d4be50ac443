/// Stochastic gradient descent with momentum, Nesterov momentum and weight decay, as
/// PyTorch's `torch.optim.SGD` defines them.
///
/// For each learnable parameter `p` with gradient `g`, at learning rate `lr`:
///
/// ```
/// g = g + weightDecay · p                              (if weightDecay ≠ 0)
/// buf = g on the parameter's first update,
///       else momentum · buf + (1 - dampening) · g      (if momentum ≠ 0)
/// g = nesterov ? g + momentum · buf : buf              (if momentum ≠ 0)
/// p = p - lr · g
/// ```
///
/// With momentum 0 and no weight decay this is plain `SGD`, with the same numbers.
/// Frozen parameters (`isLearnable == false`) are skipped: unchanged, and their momentum
/// buffer neither made nor updated.
public struct MomentumSGD: Optimizer {
    /// The learning rate of each step.
    public var schedule: LearningRateSchedule
    /// The momentum factor (0: none), at least 0.
    public var momentum: Double
    /// The dampening of the gradient's share of the momentum buffer, `(1 - dampening) · g`.
    public var dampening: Double
    /// Whether the step uses Nesterov momentum (needs `momentum > 0` and `dampening == 0`).
    public var nesterov: Bool
    /// The L2 penalty added to each gradient as `weightDecay · p`, at least 0.
    public var weightDecay: Double
    /// The momentum buffer of each parameter, by position; nil before its first update.
    public private(set) var momentumBuffers: [Double?] = []
    /// The number of updates made so far.
    public private(set) var updateCount = 0

    /// Creates an optimiser with a learning-rate schedule (PyTorch's defaults otherwise).
    ///
    /// The hyperparameters are checked at each update (they can be changed between updates).
    public init(
        schedule: LearningRateSchedule, momentum: Double = 0, dampening: Double = 0,
        nesterov: Bool = false, weightDecay: Double = 0
    ) {
        self.schedule = schedule
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// Creates an optimiser with a constant learning rate (PyTorch's defaults otherwise).
    public init(
        learningRate: Double, momentum: Double = 0, dampening: Double = 0,
        nesterov: Bool = false, weightDecay: Double = 0
    ) {
        self.init(
            schedule: .constant(learningRate), momentum: momentum, dampening: dampening,
            nesterov: nesterov, weightDecay: weightDecay)
    }

    /// Applies one update with the rate of step `step` and returns that rate.
    ///
    /// - Throws: `MicrogradError.nonFiniteInput` for a non-finite rate; `.invalidArgument` for a
    ///   negative or non-finite momentum or weight decay, a non-finite dampening, Nesterov
    ///   without momentum or with dampening, or parameters other than those of earlier updates.
    ///   Nothing is changed then.
    @discardableResult
    public mutating func update(_ parameters: [Value], step: Int) throws -> Double {
        let rate = try schedule.checkedRate(at: step)
        try validate()
        try checkStateCount(momentumBuffers.count, parameters: parameters.count, optimizer: "MomentumSGD")
        if momentumBuffers.isEmpty {
            momentumBuffers = Array(repeating: nil, count: parameters.count)
        }
        for (index, parameter) in parameters.enumerated() where parameter.isLearnable {
            var g = parameter.grad
            if weightDecay != 0 {
                g = g + weightDecay * parameter.data
            }
            if momentum != 0 {
                let buffer: Double
                if let previous = momentumBuffers[index] {
                    buffer = momentum * previous + (1 - dampening) * g
                } else {
                    buffer = g
                }
                momentumBuffers[index] = buffer
                g = nesterov ? g + momentum * buffer : buffer
            }
            parameter.data -= rate * g
        }
        updateCount += 1
        return rate
    }

    /// The momentum buffers (0 where none exists yet), `momentum.present` (1 where one
    /// exists) and the update count; empty before the first update.
    public var savedState: [String: [Double]] {
        guard !momentumBuffers.isEmpty else { return [:] }
        return [
            "momentum.buffer": momentumBuffers.map { $0 ?? 0 },
            "momentum.present": momentumBuffers.map { $0 == nil ? 0 : 1 },
            "momentum.updates": [Double(updateCount)],
        ]
    }

    /// Restores ``savedState``'s arrays (an empty dictionary: no buffers yet).
    public mutating func restoreState(_ state: [String: [Double]], parameterCount: Int) throws {
        guard !state.isEmpty else {
            momentumBuffers = []
            updateCount = 0
            return
        }
        let buffers = try stateArray(state, "momentum.buffer", count: parameterCount)
        let present = try stateArray(state, "momentum.present", count: parameterCount)
        let updates = try stateCounts(try stateArray(state, "momentum.updates", count: 1), "momentum.updates")
        momentumBuffers = zip(buffers, present).map { $1 == 0 ? nil : $0 }
        updateCount = updates[0]
    }

    /// Checks the hyperparameters as each update does: momentum and weight decay finite and at
    /// least 0, dampening finite, Nesterov only with momentum above 0 and no dampening.
    ///
    /// - Throws: `MicrogradError.invalidArgument` naming the bad hyperparameter.
    public func validate() throws {
        try checkHyperparameter("momentum", momentum, in: 0..<Double.infinity)
        try checkHyperparameter("dampening", dampening, in: -Double.greatestFiniteMagnitude..<Double.infinity)
        try checkHyperparameter("weight decay", weightDecay, in: 0..<Double.infinity)
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw MicrogradError.invalidArgument("Nesterov momentum needs a momentum above 0 and zero dampening")
        }
    }
}
