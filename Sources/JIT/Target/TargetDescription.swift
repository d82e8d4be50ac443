internal import CLLVM

/// What the code generator needs to know about the processor it generates for: its triple,
/// CPU name and features, and what tiling reads from them (vector width, FMA, registers).
///
/// Every emitter sizes its vectors and register tiles from this, never from a fixed width:
/// `lanes(for:)` is 2 doubles for SSE2 and NEON, 4 for AVX2, 8 for AVX-512.
///
/// ```swift
/// let here = try TargetDescription.host()           // e.g. sapphirerapids, 8 doubles per vector
/// let avx2 = try TargetDescription(cpu: "haswell")  // generate AVX2 code on any newer x86
/// let compiled = try jit(model, options: JITOptions(processor: .cpu("haswell")))
/// ```
///
/// Code generated for another CPU runs here only if this processor has its features; the
/// tests generate SSE, AVX2 and AVX-512 code on an AVX-512 machine and compare the results.
public struct TargetDescription: Sendable, Hashable, CustomStringConvertible {
    /// The LLVM target triple, e.g. `x86_64-pc-linux-gnu`.
    public let triple: String
    /// The LLVM CPU name, e.g. `znver5`, `haswell`, `x86-64-v2`.
    public let cpu: String
    /// The LLVM feature string (`+avx2,+fma,...`): the host's all, or the override's extras.
    public let features: String
    /// The widest vector register in bits that the emitters use: 128, 256 or 512.
    public let vectorBits: Int
    /// Whether the processor has fused multiply-add (used only in `.fast` numerics).
    public let hasFMA: Bool
    /// The number of vector registers (16 for SSE/AVX2 on x86-64, 32 with AVX-512 or on AArch64).
    public let vectorRegisters: Int
    /// Whether code for this target can call a C math library (`exp`, `log`, `pow`, ...): true
    /// for the host and the CPUs of its architecture; false for targets such as wasm32 and
    /// NVPTX, whose code then uses the built-in routines (``JITOptions/MathLibrary/builtIn``).
    public let hasSystemMath: Bool

    /// Elements of `precision` per vector: `vectorBits / 64` for Float64, `/ 32` for Float32.
    public func lanes(for precision: JITOptions.Precision) -> Int {
        vectorBits / (precision == .float32 ? 32 : 64)
    }

    /// `cpu (N-bit vectors, FMA, R registers)`.
    public var description: String {
        "\(cpu) (\(triple), \(vectorBits)-bit vectors, \(hasFMA ? "FMA" : "no FMA"), \(vectorRegisters) vector registers)"
    }

    /// The processor this program runs on, with all its features.
    public static func host() throws -> TargetDescription {
        try hostDescription.get()
    }

    /// Another processor of the host's architecture: an LLVM CPU name (`haswell`, `x86-64-v2`,
    /// `skylake-avx512`, `znver4`, ...) and optional extra features (`+avx512f,-fma`).
    ///
    /// - Throws: `JITError.unsupportedTarget` for a CPU name this package does not know for the
    ///   host's architecture (LLVM itself would silently ignore it).
    public init(cpu: String, features: String = "") throws {
        try initializeNativeTarget()
        let triple = takeMessage(LLVMGetDefaultTargetTriple())
        guard let known = Self.knownCPU(cpu, triple: triple) else {
            throw JITError.unsupportedTarget(
                "unknown CPU '\(cpu)' for \(triple); known: \(Self.knownNames(triple: triple).joined(separator: ", "))")
        }
        var capabilities = known
        capabilities.apply(features: features)
        self.init(triple: triple, cpu: cpu, features: features, capabilities: capabilities)
    }

    /// A description from its parts; `hasSystemMath: false` for targets without a C math library.
    init(triple: String, cpu: String, features: String, capabilities: Capabilities, hasSystemMath: Bool = true) {
        self.triple = triple
        self.cpu = cpu
        self.features = features
        vectorBits = capabilities.vectorBits
        hasFMA = capabilities.hasFMA
        vectorRegisters = capabilities.vectorRegisters
        self.hasSystemMath = hasSystemMath
    }
}

extension TargetDescription {
    /// Vector width, FMA and register count, as read from a CPU name and a feature string.
    struct Capabilities: Equatable {
        var vectorBits: Int
        var hasFMA: Bool
        var vectorRegisters: Int

        static let sse2 = Capabilities(vectorBits: 128, hasFMA: false, vectorRegisters: 16)
        static let avx = Capabilities(vectorBits: 256, hasFMA: false, vectorRegisters: 16)
        static let avx2 = Capabilities(vectorBits: 256, hasFMA: true, vectorRegisters: 16)
        static let avx512 = Capabilities(vectorBits: 512, hasFMA: true, vectorRegisters: 32)
        static let neon = Capabilities(vectorBits: 128, hasFMA: true, vectorRegisters: 32)

        /// Applies `+feature` / `-feature` entries that change what the emitters use.
        mutating func apply(features: String) {
            for entry in features.split(separator: ",") {
                guard entry.hasPrefix("+") || entry.hasPrefix("-") else { continue }
                let on = entry.hasPrefix("+"), name = entry.dropFirst()
                switch (name, on) {
                case ("avx512f", true): (vectorBits, vectorRegisters) = (512, 32)
                case ("avx512f", false): if vectorBits == 512 { (vectorBits, vectorRegisters) = (256, 16) }
                case ("avx", true), ("avx2", true): vectorBits = Swift.max(vectorBits, 256)
                case ("avx", false): (vectorBits, vectorRegisters) = (128, 16)
                case ("fma", _): hasFMA = on
                default: break
                }
            }
        }
    }

    /// The x86-64 CPU names this package knows, by the widest vectors their features give.
    private static let x86CPUs: [(names: [String], capabilities: Capabilities)] = [
        (["x86-64", "x86-64-v2", "core2", "nehalem", "westmere", "silvermont", "goldmont"], .sse2),
        (["sandybridge", "ivybridge", "btver2"], .avx),
        (["x86-64-v3", "haswell", "broadwell", "skylake", "alderlake", "raptorlake", "znver1", "znver2", "znver3",
          "bdver4"], .avx2),
        (["x86-64-v4", "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client",
          "icelake-server", "tigerlake", "sapphirerapids", "emeraldrapids", "graniterapids", "znver4", "znver5"],
         .avx512),
    ]

    /// The AArch64 CPU names this package knows (all with 128-bit NEON).
    private static let arm64CPUs = ["generic", "cortex-a53", "cortex-a72", "cortex-a76", "neoverse-n1", "neoverse-v1",
                                    "apple-m1", "apple-m2", "apple-a14"]

    static func knownCPU(_ cpu: String, triple: String) -> Capabilities? {
        if triple.hasPrefix("x86_64") {
            if cpu == "generic" { return .sse2 }
            return x86CPUs.first { $0.names.contains(cpu) }?.capabilities
        }
        if triple.hasPrefix("aarch64") || triple.hasPrefix("arm64") {
            return arm64CPUs.contains(cpu) ? .neon : nil
        }
        return cpu == "generic" ? Capabilities(vectorBits: 128, hasFMA: false, vectorRegisters: 16) : nil
    }

    static func knownNames(triple: String) -> [String] {
        if triple.hasPrefix("x86_64") { return ["generic"] + x86CPUs.flatMap(\.names) }
        if triple.hasPrefix("aarch64") || triple.hasPrefix("arm64") { return arm64CPUs }
        return ["generic"]
    }

    /// The host, read once from LLVM (`LLVMGetHostCPUName`, `LLVMGetHostCPUFeatures`).
    private static let hostDescription: Result<TargetDescription, JITError> = {
        do { try initializeNativeTarget() } catch let error as JITError { return .failure(error) } catch {
            return .failure(.llvm("\(error)"))
        }
        let triple = takeMessage(LLVMGetDefaultTargetTriple())
        let cpu = takeMessage(LLVMGetHostCPUName())
        let features = takeMessage(LLVMGetHostCPUFeatures())
        var capabilities: Capabilities
        if triple.hasPrefix("aarch64") || triple.hasPrefix("arm64") {
            capabilities = .neon
        } else {
            capabilities = .sse2
            capabilities.apply(features: features)
        }
        return .success(TargetDescription(triple: triple, cpu: cpu, features: features, capabilities: capabilities))
    }()
}
