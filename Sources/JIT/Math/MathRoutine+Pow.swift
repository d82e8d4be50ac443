extension MathBody {
    /// `pow(x, y)`, within about 1 ulp, with C99's (and glibc's) special cases:
    ///
    /// - `pow(x, +-0) = 1` for every x, NaN included; `pow(1, y) = 1` for every y, NaN included;
    ///   otherwise a NaN argument gives NaN.
    /// - `pow(+-0, y)`: `+-inf` for an odd integer `y < 0`, `+inf` for other `y < 0`, `+-0` for an
    ///   odd integer `y > 0`, `+0` for other `y > 0`.
    /// - `pow(-1, +-inf) = 1`; `pow(x, -inf)` is `+inf` for `|x| < 1` and `+0` for `|x| > 1`;
    ///   `pow(x, +inf)` the other way round.
    /// - `pow(-inf, y)` is `pow(-0, -y)`; `pow(+inf, y)` is `+0` for `y < 0`, `+inf` for `y > 0`.
    /// - A finite `x < 0` with a finite non-integer `y` gives NaN (`pow(-8, 1/3)`); with an
    ///   integer `y`, `pow(|x|, y)` negated for odd `y`.
    ///
    /// NOTE (method): `|x|^y = exp(y log|x|)` with `log|x|` as a double-double (`logDoubleDouble`,
    /// about 2^-100 relative), `y log|x|` as an exact product plus the low part's, and the
    /// exponential of that double-double (`reduceExponential`). An absolute error `d` in
    /// `y log|x|` is a relative error `d` in the result, so it must stay near 2^-56 for
    /// arguments up to 745: double-double keeps it below 2^-60. Overflow and underflow (to
    /// subnormals, then 0) come from the same two-step scaling as `exp`.
    func pow(_ x: IRValue, _ y: IRValue) -> IRValue {
        let ax = magnitude(x, "p.ax"), ay = magnitude(y, "p.ay")
        let usable = and(compare(.greaterThan, ax, 0), compare(.lessThan, ax, .infinity), "p.ok")
        let logarithm = logDoubleDouble(select(usable, ax, constant(1)), "p.l")
        let product = twoProduct(y, logarithm.hi, "p.yl")
        let exponent = DoubleDouble(hi: product.hi, lo: add(product.lo, mul(y, logarithm.lo)))
        let reduced = reduceExponential(exponent, "p.e")
        var result = scale(add(constant(1), reduced.p, "p.m"), by: reduced.k, "p.scaled")
        // |x|^y where |x| or y is 0 or infinite.
        let negativeY = compare(.lessThan, y, 0, "p.yneg")
        let zeroOrInfinity = select(negativeY, constant(.infinity), constant(0))
        let infinityOrZero = select(negativeY, constant(0), constant(.infinity))
        result = select(compare(.equal, ax, 0), zeroOrInfinity, result)
        result = select(compare(.equal, ax, .infinity), infinityOrZero, result)
        let below = compare(.lessThan, ax, 1, "p.below")
        let grows = builder.icmp(.equal, below, negativeY, name: "p.grows")
        let infiniteY = select(grows, constant(.infinity), constant(0))
        let infiniteYResult = select(compare(.equal, ax, 1), constant(1), infiniteY)
        result = select(compare(.equal, ay, .infinity), infiniteYResult, result, "p.mag")
        // The sign from a negative base: odd integer y negates, non-integer finite y is NaN.
        let (integral, odd) = integerKind(ay)
        let signBit = builder.icmp(.signedLess, bits(x), integer(0), name: "p.xsign")
        result = select(and(signBit, odd), neg(result), result, "p.signed")
        let negativeFinite = and(compare(.lessThan, x, 0), compare(.greaterThan, x, -.infinity))
        let fractional = and(builder.xor(integral, builder.context.bool.constant(integer: -1), name: ""),
                             compare(.lessThan, ay, .infinity), "p.frac")
        result = select(and(negativeFinite, fractional), constant(.nan), result)
        let eitherNaN = or(builder.isNaN(x, name: ""), builder.isNaN(y, name: ""), "p.nan")
        result = select(eitherNaN, add(x, y), result)
        let one = or(compare(.equal, y, 0), compare(.equal, x, 1), "p.one")
        return select(one, constant(1), result, "pow")
    }

    /// Whether `ay = |y|` is an integer, and whether it is an odd one (both false for NaN and
    /// infinity): every finite double from 2^53 up is an even integer; below, `fptosi` and back.
    private func integerKind(_ ay: IRValue) -> (integral: IRValue, odd: IRValue) {
        let large = and(compare(.greaterThanOrEqual, ay, 0x1p53), compare(.lessThan, ay, .infinity), "p.large")
        let small = compare(.lessThan, ay, 0x1p53, "p.small")
        let whole = builder.floatToSigned(select(small, ay, constant(0)), to: int64, name: "p.yi")
        let exact = builder.fcmp(.equal, builder.signedToFloat(whole, to: double, name: ""), ay, name: "p.exact")
        let integral = or(large, and(small, exact), "p.int")
        let lowBit = builder.and(whole, integer(1), name: "")
        let odd = and(and(small, exact), builder.icmp(.equal, lowBit, integer(1), name: ""), "p.odd")
        return (integral, odd)
    }
}
