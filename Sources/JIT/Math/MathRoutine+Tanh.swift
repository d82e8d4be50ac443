extension MathBody {
    /// `tanh(x)`, within 1 ulp (measured: see `MathRoutineTests`).
    ///
    /// NOTE (method): with `a = |x|` and `t = expm1(2a)` as a double-double, `tanh(a) =
    /// t / (t + 2)`, the sum and the quotient formed in double-double too, so the one rounding
    /// that matters is the last (the plain-double forms `1 - 2 / (t + 2)` and `-t / (t + 2)`
    /// measured 3 ulp near `a = 0.95`). `tanh(x) = x` below 2^-28 (the next term, `x^3 / 3`, is
    /// below half an ulp there), which keeps -0 and subnormals; `+-1` from 22 on
    /// (`1 - tanh(22) < 2^-62`); NaN gives NaN.
    func tanh(_ x: IRValue) -> IRValue {
        let a = magnitude(x, "t.a")
        let bounded = select(compare(.lessThan, a, 22), a, constant(22), "t.b")
        let t = expm1(mul(bounded, 2, "t.2a"), "t.em1")
        let denominator = twoSum(t.hi, constant(2), "t.d")
        let quotient = divide(t, DoubleDouble(hi: denominator.hi, lo: add(denominator.lo, t.lo)), "t.q")
        let saturated = select(compare(.lessThan, a, 22), quotient, constant(1), "t.sat")
        let signed = select(compare(.lessThan, x, 0), neg(saturated), saturated, "t.signed")
        let result = select(compare(.lessThan, a, 0x1p-28), x, signed)
        return select(builder.isNaN(x, name: "t.nan"), add(x, x), result, "tanh")
    }

    /// `n / d` for double-doubles, rounded to double: `q = n.hi / d.hi`, corrected by the exact
    /// remainder `(n - q d) / d.hi`.
    func divide(_ n: DoubleDouble, _ d: DoubleDouble, _ name: String) -> IRValue {
        let q = div(n.hi, d.hi, "\(name).q0")
        let product = twoProduct(q, d.hi, "\(name).qd")
        let remainder = sub(add(sub(sub(n.hi, product.hi), product.lo), n.lo), mul(q, d.lo), "\(name).rem")
        return add(q, div(remainder, d.hi), name)
    }
}
