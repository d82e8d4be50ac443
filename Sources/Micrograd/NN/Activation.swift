/// The nonlinearity a layer applies to each neuron's weighted sum.
public enum Activation: String, Sendable, CaseIterable, Codable {
    /// No nonlinearity: the weighted sum itself (micrograd's `nonlin=False`).
    case linear
    /// `max(x, 0)`.
    case relu
    /// Hyperbolic tangent.
    case tanh
    /// Logistic function.
    case sigmoid

    /// The engine op the activation applies, nil for `.linear`: the one row per activation that
    /// the interpreter's forward value and graph node come from.
    public var op: Op? {
        switch self {
        case .linear: nil
        case .relu: .relu
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        }
    }

    /// Applies the activation to a value, building the corresponding graph node.
    public func apply(_ x: Value) -> Value {
        guard let op else { return x }
        return x.applying(op)
    }

    /// Applies the activation to a number (what the graph node computes).
    public func apply(_ x: Double) -> Double {
        op?.evaluate(x) ?? x
    }
}
