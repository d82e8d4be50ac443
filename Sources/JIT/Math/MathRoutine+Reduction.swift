/// An angle reduced modulo pi/2: `|x| = n pi/2 + r`, `|r| <= pi/4` (plus rounding).
struct ReducedAngle {
    /// `n` as an `i64`; only its two low bits (the quadrant) are meaningful.
    let quadrant: IRValue
    /// `r` as a double-double.
    let r: DoubleDouble
}

extension MathBody {
    /// `ax = |x|` reduced modulo pi/2, branching on its size: Cody-Waite below 2^20, Payne-Hanek
    /// above (or for infinity and NaN, reduced as if 2^20; callers select their own result).
    ///
    /// NOTE (precision): both reductions give `r` to about 2^-100 absolute. The doubles closest
    /// to a multiple of pi/2 are about 2^-61 away from it (Muller's bound for binary64), so `r`
    /// always keeps at least 39 bits more than a double needs.
    func reduceQuarterTurns(_ ax: IRValue, _ name: String) -> ReducedAngle {
        let context = builder.context
        let moderate = compare(.lessThan, ax, 0x1p20, "\(name).moderate")
        let codyWaite = function.appendBlock("\(name).cw", in: context)
        let payneHanek = function.appendBlock("\(name).ph", in: context)
        let merge = function.appendBlock("\(name).reduced", in: context)
        builder.branch(if: moderate, then: codyWaite, else: payneHanek)
        builder.position(atEndOf: codyWaite)
        let near = reduceModerate(ax, "\(name).cw")
        let nearEnd = builder.currentBlock
        builder.branch(to: merge)
        builder.position(atEndOf: payneHanek)
        let far = reduceLarge(select(compare(.lessThan, ax, .infinity), ax, constant(0x1p20)), "\(name).ph")
        let farEnd = builder.currentBlock
        builder.branch(to: merge)
        builder.position(atEndOf: merge)
        func join(_ a: IRValue, _ b: IRValue, _ type: IRType, _ label: String) -> IRValue {
            let phi = builder.phi(type, name: "\(name).\(label)")
            builder.addIncoming(phi, a, from: nearEnd)
            builder.addIncoming(phi, b, from: farEnd)
            return phi
        }
        return ReducedAngle(
            quadrant: join(near.quadrant, far.quadrant, int64, "n"),
            r: DoubleDouble(hi: join(near.r.hi, far.r.hi, double, "rh"), lo: join(near.r.lo, far.r.lo, double, "rl")))
    }

    /// Cody-Waite reduction for `0 <= ax < 2^20`: `n = round(ax * 2/pi)`, then
    /// `r = ax - n P1 - n P2 - n P3` with pi/2 in three parts, `P1` and `P2` of 33 bits so
    /// `n P1` and `n P2` are exact (`n < 2^20`) and `ax - n P1` is exact (Sterbenz).
    private func reduceModerate(_ ax: IRValue, _ name: String) -> ReducedAngle {
        let n = roundToInteger(mul(ax, 0x1.45f306dc9c883p-1), "\(name).n")  // 2/pi
        let first = sub(ax, mul(n, 0x1.921fb544p+0), "\(name).r1")
        let second = twoSum(first, neg(mul(n, 0x1.0b4611a6p-34)), "\(name).r2")
        let low = sub(second.lo, mul(n, 0x1.3198a2e037073p-69), "\(name).r3")
        let r = twoSum(second.hi, low, "\(name).r")
        return ReducedAngle(quadrant: builder.floatToSigned(n, to: int64, name: "\(name).q"), r: r)
    }

    /// Payne-Hanek reduction for finite `ax >= 2^20` (see `MathRoutine+PayneHanek.swift`).
    private func reduceLarge(_ ax: IRValue, _ name: String) -> ReducedAngle {
        let quarterTurns = payneHanek(ax, name)
        // r = F pi/2, F = sign * (hi + lo).
        let product = twoProduct(quarterTurns.fraction.hi, constant(Self.halfPiHigh), "\(name).rp")
        let cross = add(mul(quarterTurns.fraction.hi, Self.halfPiLow), mul(quarterTurns.fraction.lo, Self.halfPiHigh))
        let r = fastTwoSum(product.hi, add(product.lo, cross), "\(name).r")
        let negative = quarterTurns.negative
        return ReducedAngle(
            quadrant: quarterTurns.quadrant,
            r: DoubleDouble(hi: select(negative, neg(r.hi), r.hi), lo: select(negative, neg(r.lo), r.lo)))
    }

    /// pi/2 as a double-double.
    static let halfPiHigh = 0x1.921fb54442d18p+0
    static let halfPiLow = 0x1.1a62633145c07p-54
}
