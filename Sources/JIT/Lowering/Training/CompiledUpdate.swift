import Micrograd

/// The parameter update a compiled training step makes, with the optimiser's hyperparameters
/// as they were when it was compiled (the learning rate comes from the schedule at each step).
///
/// NOTE (numerics): each rule is emitted operation for operation as the interpreter's
/// optimiser computes it (`SGD`, `MomentumSGD`, `Adam`, `AdamW`), so parameters and state equal
/// the interpreter's bit for bit in Float64.
enum CompiledUpdate: Equatable, Sendable {
    /// `p = p - rate · g`.
    case sgd
    /// `MomentumSGD`: PyTorch's SGD with momentum, dampening, Nesterov and weight decay.
    case momentum(momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double)
    /// `Adam` (decoupled: false) or `AdamW` (decoupled: true).
    case adam(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupled: Bool)

    /// The update of `optimizer`, its hyperparameters checked as its own `update` checks them.
    ///
    /// - Throws: `JITError.unsupportedOperation` for an optimiser the compiled step does not
    ///   implement; `MicrogradError.invalidArgument` for a hyperparameter out of its range.
    init(_ optimizer: any Optimizer) throws {
        switch optimizer {
        case is SGD:
            self = .sgd
        case let sgd as MomentumSGD:
            try Self.check("momentum", sgd.momentum, atLeast: 0)
            try Self.check("weight decay", sgd.weightDecay, atLeast: 0)
            guard sgd.dampening.isFinite else {
                throw MicrogradError.invalidArgument("dampening must be a finite number, got \(sgd.dampening)")
            }
            guard !sgd.nesterov || (sgd.momentum > 0 && sgd.dampening == 0) else {
                throw MicrogradError.invalidArgument("Nesterov momentum needs a momentum above 0 and zero dampening")
            }
            self = .momentum(
                momentum: sgd.momentum, dampening: sgd.dampening, nesterov: sgd.nesterov, weightDecay: sgd.weightDecay)
        case let adam as Adam:
            try Self.checkAdam(adam.beta1, adam.beta2, adam.epsilon, adam.weightDecay)
            self = .adam(
                beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, weightDecay: adam.weightDecay,
                decoupled: false)
        case let adam as AdamW:
            try Self.checkAdam(adam.beta1, adam.beta2, adam.epsilon, adam.weightDecay)
            self = .adam(
                beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, weightDecay: adam.weightDecay,
                decoupled: true)
        default:
            throw JITError.unsupportedOperation(
                "the compiled trainer implements SGD, MomentumSGD, Adam and AdamW, not \(type(of: optimizer)); "
                    + "train with the interpreter's Trainer instead")
        }
    }

    /// The per-parameter state buffers the rule keeps (each `parameterCount` doubles).
    ///
    /// Momentum: the buffers and a flag (1 once a parameter's buffer exists). Adam: the first
    /// and second moments and each parameter's update count.
    var stateBufferCount: Int {
        switch self {
        case .sgd: 0
        case .momentum: 2
        case .adam: 3
        }
    }

    private static func check(_ name: String, _ value: Double, atLeast lower: Double) throws {
        guard value.isFinite, value >= lower else {
            throw MicrogradError.invalidArgument("\(name) must be a finite number of at least \(lower), got \(value)")
        }
    }

    private static func checkAdam(_ beta1: Double, _ beta2: Double, _ epsilon: Double, _ weightDecay: Double) throws {
        for (name, beta) in [("beta1", beta1), ("beta2", beta2)] where !(beta >= 0 && beta < 1) {
            throw MicrogradError.invalidArgument("\(name) must be a finite number in 0.0..<1.0, got \(beta)")
        }
        try check("epsilon", epsilon, atLeast: 0)
        try check("weight decay", weightDecay, atLeast: 0)
    }
}
