/// A small, fast, seeded pseudo-random generator (SplitMix64) for reproducible initialisation.
///
/// The same seed gives the same sequence on every platform and Swift version, unlike
/// `SystemRandomNumberGenerator`. `MLP(inputs:layers:seed:)` draws its weights from it in
/// `parameters` order.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64: Steele, Lea and Flood, 2014).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number uniformly distributed in `[0, 1)`, from the top 53 bits of `next()`.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A number uniformly distributed in `[lower, upper)`.
    public mutating func nextUniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }
}
