import JIT
import Micrograd

/// The error bounds of `.fast` numerics, computed from a model's parameters and inputs.
///
/// Per neuron pre-activation with m = n + 1 terms (the bias counted): any order of the sum,
/// each product rounded or fused, is within `gamma_m (|b| + sum |w_i x_i|)` of the true sum,
/// as is the exact order, so `|fast - exact| <= 2 gamma_m (|b| + sum |w_i x_i|)`.
///
/// Through layers (`layerBound`), with D_i the bound on |fast - exact| of input i and G_i one on
/// |exact - Float64 reference| (0 in Float64), A = |b| + sum |w_i| (|y_i| + G_i + D_i) bounds the
/// magnitudes both modes add, and
///   pre-activation:  Dz = 2 gamma_m A (1 + 4u) + sum |w_i| D_i (1 + u)
///   activation f:    D  = L Dz + c u (2 |f(z)| + L Dz)
/// with L the Lipschitz constant of f (1 for ReLU, tanh, linear; 1/4 for sigmoid) and c = 8 the
/// ulps libm's tanh and the sigmoid's exp-add-divide may be off in each mode (0 for ReLU and
/// linear, which are exact). G follows the same recurrence (Float32 only: rounded weights and
/// inputs against the Float64 reference).
enum FastNumericsBound {
    /// Per output neuron of `layer`: `2 gamma_m (|b| + sum |w_i x_i|)` in `precision`, for the
    /// weights, bias and inputs as the kernel sees them (rounded to Float in Float32).
    static func linearLayer(_ layer: Layer, inputs x: [Double], precision: JITOptions.Precision) -> [Double] {
        let round: (Double) -> Double = precision == .float32 ? { Double(Float($0)) } : { $0 }
        let gamma = ProcessorMatrix.gamma(layer.inputCount + 1, precision)
        return layer.neurons.map { neuron in
            let magnitude = zip(neuron.weights, x).reduce(abs(round(neuron.bias.data))) { sum, pair in
                sum + abs(round(pair.0.data) * round(pair.1))
            }
            return 2 * gamma * magnitude
        }
    }

    /// Bounds on |fast - exact| of the model's outputs for input `x` (see the type's comment).
    static func model(_ model: MLP, inputs x: [Double], precision: JITOptions.Precision) -> [Double] {
        let u = ProcessorMatrix.unitRoundoff(precision)
        var y = x
        var d = Array(repeating: 0.0, count: x.count)
        var g = precision == .float32 ? x.map { abs($0) * u } : d
        for layer in model.layers {
            let gamma = ProcessorMatrix.gamma(layer.inputCount + 1, precision)
            let (lipschitz, ulps): (Double, Double) = switch layer.activation {
            case .relu, .linear: (1, 0)
            case .tanh: (1, 8)
            case .sigmoid: (0.25, 8)
            }
            var next: (y: [Double], d: [Double], g: [Double]) = ([], [], [])
            for neuron in layer.neurons {
                let w = neuron.weights.map { abs($0.data) }
                let z = zip(neuron.weights, y).reduce(neuron.bias.data) { $0 + $1.0.data * $1.1 }
                let a = (0..<w.count).reduce(abs(neuron.bias.data)) { $0 + w[$1] * (abs(y[$1]) + g[$1] + d[$1]) }
                let dz = 2 * gamma * a * (1 + 4 * u) + (0..<w.count).reduce(0.0) { $0 + w[$1] * d[$1] } * (1 + u)
                let gz = precision == .float32
                    ? 2 * gamma * a * (1 + 4 * u) + (0..<w.count).reduce(0.0) { $0 + w[$1] * g[$1] } * (1 + u) : 0
                let f = activate(layer.activation, z)
                next.y.append(f)
                next.d.append(lipschitz * dz + ulps * u * (2 * abs(f) + lipschitz * dz))
                next.g.append(lipschitz * gz + ulps * u * (2 * abs(f) + lipschitz * gz))
            }
            (y, d, g) = next
        }
        return d
    }

    private static func activate(_ activation: Activation, _ z: Double) -> Double {
        switch activation {
        case .relu: z <= 0 ? 0 : z
        case .linear: z
        case .tanh: Value(z).tanh().data
        case .sigmoid: Value(z).sigmoid().data
        }
    }
}
