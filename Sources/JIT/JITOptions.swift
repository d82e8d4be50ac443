/// How a graph or model is compiled.
public struct JITOptions: Sendable, Hashable {
    /// The floating-point type the compiled code computes in.
    ///
    /// Inputs and outputs are `Double` either way; with `.float32` they are converted at the
    /// boundary and every operation in between runs in `Float`.
    public enum Precision: String, Sendable, Hashable, CaseIterable {
        /// 64-bit IEEE arithmetic, as the interpreter computes: in exact mode (the default) the
        /// results equal the interpreter's bit for bit.
        case float64
        /// 32-bit IEEE arithmetic: faster, about 1e-5 relative to the interpreter.
        case float32
    }

    /// The LLVM optimisation level (`default<On>` of the new pass manager, and the code
    /// generator's level).
    public enum OptimizationLevel: Int, Sendable, Hashable, CaseIterable, Comparable {
        /// O0 (no optimisation: the IR runs as emitted) to O3; O2 is the default.
        ///
        /// For a graph program, level `n` runs the standard pipeline `default<On>`; the code
        /// generator runs at the same level for every kind of compiled object.
        case o0 = 0, o1, o2, o3

        /// The new-pass-manager pipeline string, e.g. `default<O2>`.
        public var pipeline: String { "default<O\(rawValue)>" }

        /// Orders levels by their number: `.o0 < .o1 < .o2 < .o3`.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The arithmetic precision; `.float64` by default.
    public var precision: Precision
    /// The optimisation level; `.o2` by default.
    public var optimization: OptimizationLevel

    /// Creates options; the defaults are Float64 and O2.
    public init(precision: Precision = .float64, optimization: OptimizationLevel = .o2) {
        self.precision = precision
        self.optimization = optimization
    }

    /// Float64 at O2.
    public static let `default` = JITOptions()
}
