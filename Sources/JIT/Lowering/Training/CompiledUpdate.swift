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
            try sgd.validate()
            self = .momentum(
                momentum: sgd.momentum, dampening: sgd.dampening, nesterov: sgd.nesterov, weightDecay: sgd.weightDecay)
        case let adam as Adam:
            try adam.validate()
            self = .adam(
                beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, weightDecay: adam.weightDecay,
                decoupled: false)
        case let adam as AdamW:
            try adam.validate()
            self = .adam(
                beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, weightDecay: adam.weightDecay,
                decoupled: true)
        default:
            throw JITError.unsupportedOperation(
                "the compiled trainer implements SGD, MomentumSGD, Adam and AdamW, not \(type(of: optimizer)); "
                    + "train with the interpreter's Trainer instead")
        }
    }

    /// The names, in `Optimizer.savedState`, of the arrays the per-parameter state buffers
    /// hold, in buffer order (each `parameterCount` doubles): momentum's buffers and a flag (1
    /// once a parameter's buffer exists); Adam's first and second moments and update counts.
    var stateKeys: [String] {
        switch self {
        case .sgd: []
        case .momentum: ["momentum.buffer", "momentum.present"]
        case .adam: ["adam.m", "adam.v", "adam.t"]
        }
    }
}
