import Micrograd
import JIT

/// True when `compiled` equals `interpreted` within `relative` tolerance.
///
/// The tolerance is relative to the larger magnitude, with `relative` itself as an absolute floor
/// for results near zero (where one ulp of a cancelled intermediate is large relatively).
/// Equal infinities and two NaNs count as equal.
func isClose(_ compiled: Double, _ interpreted: Double, relative: Double = 1e-12) -> Bool {
    if compiled == interpreted { return true }
    if compiled.isNaN && interpreted.isNaN { return true }
    guard compiled.isFinite && interpreted.isFinite else { return false }
    let scale = max(1, abs(compiled), abs(interpreted))
    return abs(compiled - interpreted) <= relative * scale
}

/// The relative tolerance for a precision: 1e-12 in Float64, 1e-5 in Float32.
func tolerance(for precision: JITOptions.Precision) -> Double {
    precision == .float32 ? 1e-5 : 1e-12
}

/// A small deterministic generator (SplitMix64) for graphs and inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
