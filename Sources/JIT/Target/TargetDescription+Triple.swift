internal import CLLVM

extension TargetDescription {
    /// Any target the linked LLVM can generate code for, by triple, CPU name and features: for
    /// ahead-of-time export (`Export`), where the code runs on another machine.
    ///
    /// `cpu` defaults to `generic`, the architecture's baseline (SSE2 on x86-64, NEON on
    /// AArch64, no SIMD on wasm32); a named CPU must be one this package knows for the
    /// architecture (`haswell`, `znver4`, `apple-m1`, `cortex-a72`, ...), since LLVM itself
    /// would only print a warning and generate baseline code. The triple is normalised
    /// (`arm64-apple-macosx` stays Apple's spelling; `x86_64-linux-gnu` gains its vendor).
    ///
    /// - Throws: `JITError.unsupportedTarget` naming the triple when the linked LLVM has no
    ///   backend for it (or cannot parse it), or naming the CPU when it is unknown.
    public init(triple: String, cpu: String = "generic", features: String = "") throws {
        try initializeAllTargets()
        let normalized = triple.hasPrefix("arm64-apple") ? triple : takeMessage(LLVMNormalizeTargetTriple(triple))
        var target: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        if triple.isEmpty || LLVMGetTargetFromTriple(normalized, &target, &message) != 0 {
            let reason = takeMessage(message)
            throw JITError.unsupportedTarget(
                "this LLVM cannot generate code for '\(triple)'\(reason.isEmpty ? "" : ": \(reason)")")
        }
        guard var capabilities = Self.knownCPU(cpu, triple: normalized) else {
            throw JITError.unsupportedTarget(
                "unknown CPU '\(cpu)' for \(normalized); known: \(Self.knownNames(triple: normalized).joined(separator: ", "))")
        }
        capabilities.apply(features: features)
        // NOTE: wasm32/wasm64 (no C library) and GPUs have no libm: their math is built in.
        let noLibm = ["wasm32", "wasm64", "nvptx", "nvptx64", "amdgcn"]
        let hasSystemMath = !noLibm.contains(Self.architecture(of: normalized))
        self.init(triple: normalized, cpu: cpu, features: features, capabilities: capabilities,
                  hasSystemMath: hasSystemMath)
    }

    /// The architecture: the triple's first component (`x86_64`, `aarch64`, `arm64`, `wasm32`).
    public var architecture: String { Self.architecture(of: triple) }

    private static func architecture(of triple: String) -> String { String(triple.prefix { $0 != "-" }) }
}
