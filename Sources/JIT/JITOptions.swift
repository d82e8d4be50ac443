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
        /// generator runs at the same level for every kind of compiled object, except the pieces
        /// of a big graph (over 4,096 slots), which O1 and O2 fold with a short pipeline and hand
        /// to LLVM's fast code generator (a quarter of the compile time, calls as fast on the
        /// forward pass; see `PieceCompiler.codeGeneratorLevel(for:)`); O3 uses the optimising
        /// code generator for them too.
        case o0 = 0, o1, o2, o3

        /// The new-pass-manager pipeline string, e.g. `default<O2>`.
        public var pipeline: String { "default<O\(rawValue)>" }

        /// Orders levels by their number: `.o0 < .o1 < .o2 < .o3`.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Which processor the code is generated for.
    public enum Processor: Sendable, Hashable, CustomStringConvertible {
        /// The processor this program runs on, with every feature it has (the default).
        case host
        /// Another processor of the host's architecture, by LLVM CPU name (`haswell`,
        /// `x86-64-v2`, `skylake-avx512`, `znver4`), with optional extra features (`+avx512f`).
        /// The code runs here only if this processor has those features.
        case cpu(String, features: String = "")

        /// `host` or the CPU name and features.
        public var description: String {
            switch self {
            case .host: "host"
            case .cpu(let name, let features): features.isEmpty ? name : "\(name) \(features)"
            }
        }

        /// The target description the emitters read.
        ///
        /// - Throws: `JITError.unsupportedTarget` for an unknown CPU name.
        public func targetDescription() throws -> TargetDescription {
            switch self {
            case .host: try TargetDescription.host()
            case .cpu(let name, let features): try TargetDescription(cpu: name, features: features)
            }
        }
    }

    /// How closely the compiled arithmetic follows the interpreter's.
    public enum Numerics: String, Sendable, Hashable, CaseIterable {
        /// Bit for bit the interpreter's results in Float64 (the default): every sum in the
        /// interpreter's order, one rounding per operation, no fused multiply-add, on every
        /// vector width.
        case exact
        /// Opt-in speed: multiply-adds fused where the processor has FMA, and long sums split
        /// into several accumulators that are added at the end. Each kernel's doc comment states
        /// its error bound; for a dot product of n terms it is
        /// `|fast - exact| <= 2 n eps sum |w_i x_i|` (eps the unit roundoff of the precision).
        case fast
    }

    /// The arithmetic precision; `.float64` by default.
    public var precision: Precision
    /// The optimisation level; `.o2` by default.
    public var optimization: OptimizationLevel
    /// The processor to generate code for; `.host` by default.
    public var processor: Processor
    /// Exact (the default) or fast arithmetic.
    public var numerics: Numerics
    /// The C math library (the default) or the built-in routines.
    public var mathLibrary: MathLibrary

    /// Creates options; the defaults are Float64, O2, the host processor, exact numerics and the
    /// system math library.
    public init(
        precision: Precision = .float64, optimization: OptimizationLevel = .o2, processor: Processor = .host,
        numerics: Numerics = .exact, mathLibrary: MathLibrary = .system
    ) {
        self.precision = precision
        self.optimization = optimization
        self.processor = processor
        self.numerics = numerics
        self.mathLibrary = mathLibrary
    }

    /// The target description of ``processor``.
    ///
    /// - Throws: `JITError.unsupportedTarget` for an unknown CPU name.
    public func target() throws -> TargetDescription { try processor.targetDescription() }

    /// Float64 at O2.
    public static let `default` = JITOptions()
}
