import Foundation

/// Distances in units in the last place, for comparing the built-in math routines with libm.
enum ULP {
    /// How many doubles lie between `a` and `b` (0 when equal, both NaN, or `+0` and `-0`;
    /// infinity when exactly one is NaN). Infinity counts as the double after the largest finite.
    static func distance(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .infinity }
        let difference = ordered(a.bitPattern) - ordered(b.bitPattern)
        return Double(difference.magnitude)
    }

    /// How many floats lie between `a` and `b` (see the `Double` form).
    static func distance(_ a: Float, _ b: Float) -> Double {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .infinity }
        let difference = Int64(ordered32(a.bitPattern)) - Int64(ordered32(b.bitPattern))
        return Double(difference.magnitude)
    }

    /// Bits mapped to integers in the order of the values (`-0` and `+0` both to 0).
    private static func ordered(_ bits: UInt64) -> Int64 {
        let magnitude = Int64(bitPattern: bits & 0x7FFF_FFFF_FFFF_FFFF)
        return bits >> 63 == 1 ? -magnitude : magnitude
    }

    private static func ordered32(_ bits: UInt32) -> Int32 {
        let magnitude = Int32(bitPattern: bits & 0x7FFF_FFFF)
        return bits >> 31 == 1 ? -magnitude : magnitude
    }
}

/// The math routines' sample sets, drawn from the tests' SplitMix64 generator.
extension SplitMix {
    /// Uniform in `[lower, upper)`.
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * Double(next() >> 11) * 0x1p-53
    }

    /// A finite double of either sign with uniformly random bits below `maxMagnitude`'s: every
    /// binade equally likely (log-spaced magnitudes, subnormals included).
    mutating func anyDouble(maxMagnitude: Double = .greatestFiniteMagnitude, signed: Bool = true) -> Double {
        let bound = maxMagnitude.bitPattern + 1
        let magnitude = Double(bitPattern: next() % bound)
        return signed && next() & 1 == 1 ? -magnitude : magnitude
    }

    /// `10^u` for `u` uniform in `[lowerExponent, upperExponent)`, with a random sign if `signed`.
    mutating func logUniform(_ lowerExponent: Double, _ upperExponent: Double, signed: Bool) -> Double {
        let magnitude = Foundation.pow(10, uniform(lowerExponent, upperExponent))
        return signed && next() & 1 == 1 ? -magnitude : magnitude
    }
}
