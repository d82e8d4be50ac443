import ArgumentParser
import Micrograd

/// The named example graphs of the CLI, shared by `mgrad dot` and `mgrad ir`.
///
/// Each builds its graph from ``Expressions`` in the library. An unknown name is rejected by
/// ArgumentParser with the list of known names.
enum ExampleGraph: String, CaseIterable, ExpressibleByArgument {
    /// karpathy's README expression over a = -4, b = 2.
    case readme
    /// The lecture neuron tanh(x1*w1 + x2*w2 + b).
    case neuron
    /// karpathy's sanity-check expression over x = -4.
    case sanity

    /// One line for help texts.
    var summary: String {
        switch self {
        case .readme: "karpathy's README expression (a = -4, b = 2; g = 24.7041)"
        case .neuron: "the lecture neuron tanh(x1*w1 + x2*w2 + b) (o = 0.7071)"
        case .sanity: "karpathy's sanity check over x = -4 (y = -20)"
        }
    }

    /// The root of a freshly built graph (forward pass only, gradients zero) and its leaves
    /// with labels, in a fixed order (for example as the inputs of a compiled function).
    func build() -> (root: Value, leaves: [Value]) {
        switch self {
        case .readme:
            let (g, a, b) = Expressions.readme()
            return (g, [a, b])
        case .neuron:
            let neuron = Expressions.lectureNeuron()
            return (neuron.o, [neuron.x1, neuron.x2, neuron.w1, neuron.w2, neuron.b])
        case .sanity:
            let (y, x) = Expressions.sanity()
            return (y, [x])
        }
    }

    /// The root of a freshly built graph after `backward()`, so every node shows its gradient.
    func buildWithGradients() -> Value {
        let root = build().root
        root.backward()
        return root
    }

    /// Help text listing every example.
    static var helpList: String {
        allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ")
    }
}
