import Micrograd

/// Finite-difference gradient checking for any `Value` graph.
///
/// The graph is re-evaluated in place with a leaf nudged up and down (every interior node
/// recomputed from its operands with `Op.evaluate`), then restored.
///
/// NOTE: the numeric derivative is a Richardson extrapolation of two central differences,
/// `(4·D(h/2) - D(h)) / 3` with `D(h) = (f(x+h) - f(x-h)) / 2h`; its truncation error is
/// O(h⁴), so with h = 1e-4 it is about 1e-16·f⁽⁵⁾ and the rounding error about
/// 1e-16·|f| / h = 1e-12·|f|. A relative tolerance of 1e-6 leaves a wide margin on graphs whose
/// values stay below about 10² (as `RandomGraph` keeps them) and whose kinks (ReLU at 0) are
/// further from the point than h times the local slope.
public enum GradCheck {
    /// One leaf's gradient two ways.
    public struct Comparison: CustomStringConvertible {
        /// The leaf's index in the list given.
        public let leafIndex: Int
        /// The gradient from `backward()`.
        public let analytic: Double
        /// The finite-difference estimate.
        public let numeric: Double

        /// `|analytic - numeric| / max(1, |analytic|, |numeric|)`.
        public var relativeError: Double {
            abs(analytic - numeric) / Swift.max(1, abs(analytic), abs(numeric))
        }

        public var description: String {
            "leaf \(leafIndex): analytic \(analytic), numeric \(numeric), relative error \(relativeError)"
        }
    }

    /// Recomputes every interior node of `order` (a topological order) from its operands.
    public static func reevaluate(_ order: [Value]) {
        for node in order where !node.isLeaf {
            node.data = node.op.evaluate(operands: node.children.map(\.data))
        }
    }

    /// The finite-difference derivative of `output` with respect to each of `leaves`.
    public static func numericGradients(of output: Value, leaves: [Value], step h: Double = 1e-4) -> [Double] {
        let order = output.topologicalOrder()
        func value(_ leaf: Value, at x: Double) -> Double {
            leaf.data = x
            reevaluate(order)
            return output.data
        }
        return leaves.map { leaf in
            let x = leaf.data
            let wide = (value(leaf, at: x + h) - value(leaf, at: x - h)) / (2 * h)
            let narrow = (value(leaf, at: x + h / 2) - value(leaf, at: x - h / 2)) / h
            leaf.data = x
            reevaluate(order)
            return (4 * narrow - wide) / 3
        }
    }

    /// Compares `backward()`'s gradients with finite differences for each leaf.
    ///
    /// Clears the graph's gradients first, so the analytic values are this call's alone.
    public static func compare(_ output: Value, leaves: [Value], step h: Double = 1e-4) -> [Comparison] {
        output.zeroGrad()
        output.backward()
        let analytic = leaves.map(\.grad)
        let numeric = numericGradients(of: output, leaves: leaves, step: h)
        return leaves.indices.map { Comparison(leafIndex: $0, analytic: analytic[$0], numeric: numeric[$0]) }
    }

    /// The comparisons whose relative error exceeds `tolerance` (empty when all agree).
    public static func mismatches(
        _ output: Value, leaves: [Value], tolerance: Double = 1e-6, step h: Double = 1e-4
    ) -> [Comparison] {
        compare(output, leaves: leaves, step: h).filter { !($0.relativeError <= tolerance) }
    }
}
