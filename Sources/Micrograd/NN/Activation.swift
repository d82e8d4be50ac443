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

    /// Applies the activation to a value, building the corresponding graph node.
    public func apply(_ x: Value) -> Value {
        switch self {
        case .linear: x
        case .relu: x.relu()
        case .tanh: x.tanh()
        case .sigmoid: x.sigmoid()
        }
    }

    /// Applies the activation to a number (what the graph node computes).
    public func apply(_ x: Double) -> Double {
        switch self {
        case .linear: x
        case .relu: Op.relu.evaluate(x)
        case .tanh: Op.tanh.evaluate(x)
        case .sigmoid: Op.sigmoid.evaluate(x)
        }
    }
}
