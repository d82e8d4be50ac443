extension MathBody {
    /// `sin(x)`, within about 1 ulp for every finite double (no range given up).
    ///
    /// NOTE (method): `|x| = n pi/2 + r` (`reduceQuarterTurns`: Cody-Waite below 2^20,
    /// Payne-Hanek above), then the sine or cosine kernel of `r` by the quadrant `n mod 4`, and
    /// the sign of `x`. `sin(x) = x` below 2^-27 (keeps -0 and subnormals); +-inf and NaN give NaN.
    func sine(_ x: IRValue) -> IRValue {
        let ax = magnitude(x, "s.ax")
        let reduced = reduceQuarterTurns(ax, "s")
        let q = reduced.quadrant
        let useCosine = builder.icmp(.notEqual, builder.and(q, integer(1), name: ""), integer(0), name: "s.usecos")
        let lowerHalf = builder.icmp(.notEqual, builder.and(q, integer(2), name: ""), integer(0), name: "s.lower")
        let negativeX = builder.icmp(.signedLess, bits(x), integer(0), name: "s.xneg")
        let value = select(useCosine, cosineKernel(reduced.r, "s.c"), sineKernel(reduced.r, "s.s"), "s.v")
        let negate = builder.xor(lowerHalf, negativeX, name: "s.negate")
        let signed = select(negate, neg(value), value)
        let result = select(compare(.lessThan, ax, 0x1p-27), x, signed)
        return select(compare(.lessThan, ax, .infinity), result, sub(x, x), "sin")
    }

    /// `cos(x)`, within about 1 ulp for every finite double; +-inf and NaN give NaN.
    ///
    /// NOTE (method): as `sine`, with the quadrant shifted by one (`cos(r + pi/2) = -sin(r)`).
    func cosine(_ x: IRValue) -> IRValue {
        let ax = magnitude(x, "c.ax")
        let reduced = reduceQuarterTurns(ax, "c")
        let q = reduced.quadrant
        let useSine = builder.icmp(.notEqual, builder.and(q, integer(1), name: ""), integer(0), name: "c.usesin")
        let shifted = builder.wrappingAdd(q, integer(1), name: "")
        let negate = builder.icmp(.notEqual, builder.and(shifted, integer(2), name: ""), integer(0), name: "c.negate")
        let value = select(useSine, sineKernel(reduced.r, "c.s"), cosineKernel(reduced.r, "c.c"), "c.v")
        let signed = select(negate, neg(value), value)
        return select(compare(.lessThan, ax, .infinity), signed, sub(x, x), "cos")
    }

    /// `sin(r.hi + r.lo)` for `|r| <= pi/4`: `rh + (rh^3 S(rh^2) + rl (1 - rh^2/2))`, the Taylor
    /// series to `r^19` (the first term left out is below 2^-60 relative).
    func sineKernel(_ r: DoubleDouble, _ name: String) -> IRValue {
        let z = mul(r.hi, r.hi, "\(name).z")
        let tail = mul(mul(r.hi, z), horner(z, Self.sineSeries), "\(name).tail")
        let correction = mul(r.lo, sub(constant(1), mul(z, 0.5)), "\(name).corr")
        return add(r.hi, add(tail, correction), name)
    }

    /// `cos(r.hi + r.lo)` for `|r| <= pi/4`: `w = 1 - rh^2/2` with its rounding error `ew`
    /// and the low part of the exact square kept, then `+ rh^4 C(rh^2) - rh rl`; the Taylor
    /// series to `r^18` (the first term left out is below 2^-60).
    func cosineKernel(_ r: DoubleDouble, _ name: String) -> IRValue {
        let square = twoProduct(r.hi, r.hi, "\(name).z")
        let half = mul(square.hi, 0.5, "\(name).hz"), halfLow = mul(square.lo, 0.5, "\(name).hzl")
        let w = sub(constant(1), half, "\(name).w")
        let roundingError = sub(sub(constant(1), w), half, "\(name).ew")
        let series = mul(mul(square.hi, square.hi), horner(square.hi, Self.cosineSeries), "\(name).tail")
        let small = sub(add(sub(roundingError, halfLow), series), mul(r.hi, r.lo), "\(name).small")
        return add(w, small, name)
    }

    /// `-1/3!, 1/5!, ..., 1/19!`: `sin(r) = r + r^3 sum(c[i] r^(2i))`.
    static let sineSeries: [Double] = (1...9).map { n in (n % 2 == 0 ? 1 : -1) / factorial(2 * n + 1) }
    /// `1/4!, -1/6!, ..., 1/18!`: `cos(r) = 1 - r^2/2 + r^4 sum(c[i] r^(2i))`.
    static let cosineSeries: [Double] = (2...9).map { n in (n % 2 == 0 ? 1 : -1) / factorial(2 * n) }

    /// `n!` (exact in double up to 22!).
    static func factorial(_ n: Int) -> Double { (1...n).reduce(1.0) { $0 * Double($1) } }
}
