/// How a model or graph is exported: precision, numerics, where the weights live, and which
/// functions the object provides.
public struct ExportOptions: Sendable, Hashable {
    /// Where an exported model's parameters are.
    public enum Weights: String, Sendable, Hashable, CaseIterable {
        /// Baked into the object as read-only data: the object is self-contained and the entry
        /// points take only inputs and outputs (the default).
        case embedded
        /// In a buffer the caller passes as the first argument of every entry point, laid out
        /// as the header documents; the export also writes the trained values to `NAME.weights`
        /// (raw little-endian IEEE doubles), so an app can ship or update them separately.
        case callerBuffer
    }

    /// The arithmetic precision; with `.float32` the entry points take and return `float`.
    public var precision: JITOptions.Precision
    /// Exact (the default: the interpreter's bits in Float64) or fast numerics.
    public var numerics: JITOptions.Numerics
    /// The optimisation level of the exported code; `.o2` by default.
    public var optimization: JITOptions.OptimizationLevel
    /// Where a model's weights live; `.embedded` by default. Graphs bake their constants in.
    public var weights: Weights
    /// For a graph with one output: also export `NAME_value_and_gradient`, the value and the
    /// derivative by every input (the JIT's `valueAndGradient`).
    public var gradient: Bool
    /// The C math library (the default where the target has one, the interpreter's bits) or
    /// the built-in routines (no dependency at all; within 2 ulp). Targets without a C math
    /// library (wasm32) always use the built-in routines.
    public var mathLibrary: JITOptions.MathLibrary

    /// Creates options; the defaults are Float64, exact, O2, embedded weights, no gradient, and
    /// the system math library where the target has one.
    public init(
        precision: JITOptions.Precision = .float64, numerics: JITOptions.Numerics = .exact,
        optimization: JITOptions.OptimizationLevel = .o2, weights: Weights = .embedded, gradient: Bool = false,
        mathLibrary: JITOptions.MathLibrary = .system
    ) {
        self.precision = precision
        self.numerics = numerics
        self.optimization = optimization
        self.weights = weights
        self.gradient = gradient
        self.mathLibrary = mathLibrary
    }

    /// The defaults.
    public static let `default` = ExportOptions()

    /// The JIT options of the same code for `target`.
    func jitOptions() -> JITOptions {
        JITOptions(precision: precision, optimization: optimization, numerics: numerics, mathLibrary: mathLibrary)
    }
}
