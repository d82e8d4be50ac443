/// The reduced form of `exp(a)`: `exp(a) = 2^k * (1 + p)` with `p = expm1(r)`, `|r| <= ln2 / 2`.
struct ReducedExponential {
    /// `k` as an `i64`, in -1082...1024 (the argument is clamped first).
    let k: IRValue
    /// `expm1(r)`, in about [-0.293, 0.415], within about 0.6 ulp.
    let p: IRValue
    /// The rounding error of `p`'s last addition: `p + pLow` is `expm1(r)` within about 0.1 ulp.
    let pLow: IRValue
}

extension MathBody {
    /// `exp(x)`, within 1 ulp (measured: see `MathRoutineTests`).
    ///
    /// NOTE (method): `x = k ln2 + r` with `k = round(x / ln2)`; `ln2` in two parts, the high
    /// one with 32 significant bits, so `k * ln2hi` and `x - k * ln2hi` are exact and the low
    /// part's product goes into a double-double `r + rr`. `expm1(r)` is the Taylor series to
    /// `r^13` (the first term left out is below 2^-57 relative for `|r| <= 0.347`), and
    /// `exp(r + rr) = 1 + (r + (r^2 S(r) + rr (1 + r)))`, each rounding small next to the last.
    /// The result is scaled by `2^k` as two exact powers of two, so a subnormal result is
    /// rounded once. Thresholds: `x > 709.7827...` overflows to +inf through the scaling, and
    /// `x < -745.1332...` underflows to +0; NaN gives NaN.
    func exp(_ x: IRValue) -> IRValue {
        let reduced = reduceExponential(DoubleDouble(hi: x, lo: constant(0)), "e")
        let result = scale(add(constant(1), reduced.p, "e.m"), by: reduced.k, "e.scaled")
        return select(builder.isNaN(x, name: "e.nan"), add(x, x), result, "exp")
    }

    /// `exp(a.hi + a.lo)` reduced (see `exp`), for `|a.lo| <= 2^-40 |a.hi|` or so.
    ///
    /// NOTE: `a.hi` is clamped to [-750, 710] (beyond which the result is 0 or +inf anyway;
    /// `a.lo` is then ignored) and NaN replaced by 0, so the integer conversion of `k` is always
    /// defined; callers select their own result for NaN.
    func reduceExponential(_ a: DoubleDouble, _ name: String) -> ReducedExponential {
        let inRange = and(compare(.greaterThanOrEqual, a.hi, -750), compare(.lessThanOrEqual, a.hi, 710))
        let tooBig = compare(.greaterThan, a.hi, 710)
        let hi = select(inRange, a.hi, select(tooBig, constant(710), constant(-750)), "\(name).x")
        let lo = select(inRange, a.lo, constant(0), "\(name).xl")
        let kf = roundToInteger(mul(hi, 0x1.71547652b82fep+0), "\(name).kf")  // 1 / ln2
        let rHigh = sub(hi, mul(kf, Self.ln2High), "\(name).rh")
        let rLow = sub(lo, mul(kf, Self.ln2Low), "\(name).rl")
        let r = twoSum(rHigh, rLow, "\(name).r")
        let square = mul(r.hi, r.hi, "\(name).r2")
        let series = mul(square, horner(r.hi, Self.expm1Series), "\(name).q")
        let correction = mul(r.lo, add(constant(1), r.hi), "\(name).c")
        let p = twoSum(r.hi, add(series, correction), "\(name).p")
        return ReducedExponential(k: builder.floatToSigned(kf, to: int64, name: "\(name).k"), p: p.hi, pLow: p.lo)
    }

    /// `value * 2^k` with one rounding, for `k` in -1100...1100 and `value` in [0.5, 2]: two
    /// exact power-of-two factors, `2^(k >> 1)` then `2^(k - (k >> 1))`.
    func scale(_ value: IRValue, by k: IRValue, _ name: String) -> IRValue {
        let half = builder.shiftRightSigned(k, integer(1), name: "\(name).k1")
        let rest = builder.wrappingSub(k, half, name: "\(name).k2")
        return mul(mul(value, powerOfTwo(half, "\(name).s1")), powerOfTwo(rest, "\(name).s2"), name)
    }

    /// `expm1(a)` as a double-double for `a` in [-50, 50], within about 0.2 ulp of the high
    /// part: `2^k (p + pLow) + (2^k - 1)` from the reduced form, the sum formed exactly (just
    /// `p + pLow` when `k == 0`, so small arguments keep their relative accuracy).
    func expm1(_ a: IRValue, _ name: String) -> DoubleDouble {
        let reduced = reduceExponential(DoubleDouble(hi: a, lo: constant(0)), name)
        let power = powerOfTwo(reduced.k, "\(name).2k")
        let sum = twoSum(mul(power, reduced.p), sub(power, constant(1)), "\(name).s")
        return fastTwoSum(sum.hi, add(sum.lo, mul(power, reduced.pLow)), name)
    }

    /// `ln 2` split: 32 significant bits, and the rest rounded (`ln2High + ln2Low` is `ln 2`
    /// to about 2^-86 relative).
    static let ln2High = 0x1.62e42feep-1
    static let ln2Low = 0x1.a39ef35793c76p-33

    /// `1/2!, 1/3!, ..., 1/13!`: `expm1(r) = r + r^2 * sum(c[i] r^i)`.
    static let expm1Series: [Double] = (2...13).map { 1 / factorial($0) }
}
