extension MathBody {
    /// `log(x)`, within 0.6 ulp: the double-double logarithm rounded to double.
    ///
    /// Special values: `log(+-0) = -inf`, `log(x < 0) = NaN`, `log(+inf) = +inf`, NaN gives NaN;
    /// subnormals are normalised first, so `log(5e-324) = -744.44...`.
    func log(_ x: IRValue) -> IRValue {
        let positive = and(compare(.greaterThan, x, 0), compare(.lessThan, x, .infinity), "l.ok")
        let logarithm = logDoubleDouble(select(positive, x, constant(1), "l.x"), "l").hi
        var result = select(compare(.equal, x, .infinity), x, logarithm)
        result = select(compare(.equal, x, 0), constant(-.infinity), result)
        result = select(compare(.lessThan, x, 0), constant(.nan), result)
        return select(builder.isNaN(x, name: "l.nan"), add(x, x), result, "log")
    }

    /// `log(x)` as a double-double, for finite `x > 0`, within about 2^-100 relative.
    ///
    /// NOTE (method): `x = 2^e m` with `m` in [sqrt(1/2), sqrt(2)) (read from the bits, after
    /// scaling a subnormal by 2^54); `f = m - 1` is exact, and with `s = f / (2 + f)` (a
    /// double-double), `log(m) = 2 atanh(s) = 2s + (2/3) s^3 + sum(2 s^(2n+1) / (2n+1))`,
    /// `|s| <= 0.1716`. The terms `2s` and `(2/3) s^3` are formed in double-double; the rest
    /// (at most 1.7e-4 of the result) in double, to `s^27` (the first term left out is below
    /// 2^-68 relative). `e ln2` uses `ln2` in two parts with an exact high product. `pow` needs
    /// this precision: `y log x` up to 745 must be exact to about 2^-56 absolute.
    func logDoubleDouble(_ x: IRValue, _ name: String) -> DoubleDouble {
        let subnormal = compare(.lessThan, x, 0x1p-1022, "\(name).sub")
        let normal = select(subnormal, mul(x, 0x1p54), x, "\(name).xn")
        let shift = select(subnormal, integer(-54), integer(0), "\(name).adj")
        let bits = self.bits(normal, "\(name).ix")
        // e such that m = x / 2^e is in [sqrt(1/2), sqrt(2)): the exponent of x / sqrt(1/2).
        let offset = builder.wrappingSub(bits, integer(0x3fe6_a09e_667f_3bcd), name: "\(name).o")
        let e = builder.shiftRightSigned(offset, integer(52), name: "\(name).e")
        let m = fromBits(builder.wrappingSub(bits, builder.shiftLeft(e, integer(52), name: ""), name: ""), "\(name).m")
        let ef = builder.signedToFloat(builder.wrappingAdd(e, shift, name: ""), to: double, name: "\(name).ef")
        let f = sub(m, constant(1), "\(name).f")
        // s = f / (2 + f) as a double-double.
        let t = fastTwoSum(constant(2), f, "\(name).t")
        let sh = div(f, t.hi, "\(name).sh")
        let product = twoProduct(sh, t.hi, "\(name).st")
        let residual = sub(sub(sub(f, product.hi), product.lo), mul(sh, t.lo))
        let sl = div(residual, t.hi, "\(name).sl")
        // s^2, s^3 and (2/3) s^3 as double-doubles (low-order cross terms dropped).
        let z = twoProduct(sh, sh, "\(name).z")
        let zl = add(z.lo, mul(mul(sh, sl), 2), "\(name).zl")
        let c = twoProduct(z.hi, sh, "\(name).c")
        let cl = add(c.lo, add(mul(z.hi, sl), mul(zl, sh)), "\(name).cl")
        let b = twoProduct(c.hi, constant(Self.twoThirdsHigh), "\(name).b")
        let bl = add(b.lo, add(mul(c.hi, Self.twoThirdsLow), mul(cl, Self.twoThirdsHigh)), "\(name).bl")
        let tail = mul(mul(c.hi, z.hi), horner(z.hi, Self.atanhTail), "\(name).tail")
        // e ln2hi + 2 sh + b.hi, exactly, then the small terms.
        let first = twoSum(mul(ef, Self.ln2High), mul(sh, 2), "\(name).s1")
        let second = twoSum(first.hi, b.hi, "\(name).s2")
        var low = add(add(tail, bl), mul(sl, 2))
        low = add(low, mul(ef, Self.ln2Low))
        low = add(low, add(first.lo, second.lo), "\(name).low")
        return fastTwoSum(second.hi, low, "\(name).r")
    }

    /// `2/3` as a double-double.
    static let twoThirdsHigh = 0x1.5555555555555p-1
    static let twoThirdsLow = 0x1.5555555555555p-55

    /// `2/5, 2/7, ..., 2/27`: `2 atanh(s) - 2s - (2/3)s^3 = s^5 * sum(c[i] s^(2i))`.
    static let atanhTail: [Double] = stride(from: 5, through: 27, by: 2).map { 2 / Double($0) }
}
