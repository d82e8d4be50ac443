import JIT

/// The processors the width tests generate code for: the host, and on x86-64 SSE2 (2 doubles
/// per vector) and AVX2 (4) when the host can run them; the host itself is AVX-512 (8) on an
/// AVX-512 machine.
enum ProcessorMatrix {
    static func processors() throws -> [JITOptions.Processor] {
        let host = try TargetDescription.host()
        guard host.triple.hasPrefix("x86_64") else { return [.host] }
        var processors: [JITOptions.Processor] = [.host, .cpu("x86-64-v2")]
        if host.vectorBits >= 256 && host.hasFMA && host.features.contains("+avx2") {
            processors.append(.cpu("haswell"))
        }
        return processors
    }

    /// The unit roundoff of a precision: 2^-53 or 2^-24.
    static func unitRoundoff(_ precision: JITOptions.Precision) -> Double {
        precision == .float32 ? 0x1p-24 : 0x1p-53
    }

    /// `gamma_m = m u / (1 - m u)`: the relative bound of m rounded operations in a chain.
    static func gamma(_ m: Int, _ precision: JITOptions.Precision) -> Double {
        let mu = Double(m) * unitRoundoff(precision)
        return mu / (1 - mu)
    }
}
