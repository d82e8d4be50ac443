/// `x * 2/pi` modulo 4, split as `n + F` with `n` in 0...3 and `|F| <= 1/2`.
struct QuarterTurns {
    /// `n` (an `i64`, 0...3).
    let quadrant: IRValue
    /// `|F|` as a double-double.
    let fraction: DoubleDouble
    /// Whether `F < 0`.
    let negative: IRValue
}

extension MathBody {
    /// Payne-Hanek: `ax * 2/pi` modulo 4 with 190 fraction bits, for finite `ax >= 2^20`, in
    /// 64-bit integer arithmetic only (no `i128`, which would need compiler-rt on wasm32).
    ///
    /// NOTE (method): `ax = m 2^e` with a 53-bit integer `m`. Bits of 2/pi worth `2^(e+2)` or more
    /// times `m` only add multiples of 4, so only the 192-bit window of 2/pi starting at its bit
    /// `e - 1` matters (`TwoOverPi`, read as six 32-bit words at any bit offset). `m` times the
    /// window, modulo 2^192, is six 32-bit limbs; the top two bits are `n`, the other 190 the
    /// fraction. The bits of 2/pi beyond the window add less than `2^53 * 2^-190 = 2^-137`, far
    /// below the 2^-61 that the worst-case double keeps from a multiple of pi/2.
    func payneHanek(_ ax: IRValue, _ name: String) -> QuarterTurns {
        let bits = self.bits(ax, "\(name).ix")
        let fractionBits = builder.and(bits, integer(1 << 52 - 1), name: "")
        let mantissa = builder.or(fractionBits, integer(1 << 52), name: "\(name).m")
        let exponent = builder.wrappingSub(builder.shiftRight(bits, integer(52), name: ""), integer(1075), name: "")
        // The window starts at table bit e + 62: 2/pi's bit e - 1, behind 64 bits of padding.
        let start = builder.wrappingAdd(exponent, integer(TwoOverPi.paddingWords * 32 - 2), name: "\(name).q0")
        let word = builder.shiftRight(start, integer(5), name: "\(name).w0")
        let offset = builder.and(start, integer(31), name: "\(name).s")
        let table = builder.constantTable("mgrad.two_over_pi", words: TwoOverPi.words)
        let entries = (0...6).map { k in
            builder.loadWord(table, at: builder.wrappingAdd(word, integer(k), name: ""), name: "\(name).t\(k)")
        }
        // windowWords[j]: the window's 32-bit limbs, least significant first.
        let windowWords: [IRValue] = (0..<6).reversed().map { k in
            let pair = builder.or(builder.shiftLeft(entries[k], integer(32), name: ""), entries[k + 1], name: "")
            return builder.shiftRight(builder.shiftLeft(pair, offset, name: ""), integer(32), name: "\(name).v\(5 - k)")
        }
        let limbs = multiply(mantissa, windowWords, name)
        let quadrant = builder.shiftRight(limbs[5], integer(30), name: "\(name).n")
        let halfBit = builder.and(limbs[5], integer(1 << 29), name: "")
        let roundUp = builder.icmp(.notEqual, halfBit, integer(0), name: "\(name).up")
        var fraction = limbs
        fraction[5] = builder.and(limbs[5], integer(1 << 30 - 1), name: "\(name).f5")
        let complement = negate(fraction, name)
        let chosen = (0..<6).map { select(roundUp, complement[$0], fraction[$0]) }
        // Sum the limbs (all non-negative, exact as doubles) from the top, in double-double.
        var sum = DoubleDouble(hi: limbValue(chosen[5], 5), lo: constant(0))
        for j in (0..<5).reversed() {
            let step = twoSum(sum.hi, limbValue(chosen[j], j), "\(name).a\(j)")
            sum = fastTwoSum(step.hi, add(step.lo, sum.lo), "\(name).f\(j)")
        }
        let carried = builder.wrappingAdd(quadrant, builder.zeroExtend(roundUp, to: int64, name: ""), name: "")
        return QuarterTurns(
            quadrant: builder.and(carried, integer(3), name: "\(name).quadrant"), fraction: sum, negative: roundUp)
    }

    /// `m * window` modulo 2^192 as six 32-bit limbs (in `i64`s), least significant first.
    private func multiply(_ m: IRValue, _ window: [IRValue], _ name: String) -> [IRValue] {
        let mask = integer(0xFFFF_FFFF)
        let low = builder.and(m, mask, name: "\(name).ml")
        let high = builder.shiftRight(m, integer(32), name: "\(name).mh")
        let lowProducts = window.map { builder.wrappingMul(low, $0, name: "") }    // < 2^64
        let highProducts = window.map { builder.wrappingMul(high, $0, name: "") }  // < 2^53
        func lo32(_ v: IRValue) -> IRValue { builder.and(v, mask, name: "") }
        func hi32(_ v: IRValue) -> IRValue { builder.shiftRight(v, integer(32), name: "") }
        var limbs: [IRValue] = []
        var carry = integer(0)
        for j in 0..<6 {
            var terms = [lo32(lowProducts[j])]
            if j >= 1 { terms += [hi32(lowProducts[j - 1]), lo32(highProducts[j - 1])] }
            if j >= 2 { terms.append(hi32(highProducts[j - 2])) }
            let total = terms.reduce(carry) { builder.wrappingAdd($0, $1, name: "") }  // < 2^35
            limbs.append(lo32(total))
            carry = builder.shiftRight(total, integer(32), name: "\(name).c\(j)")
        }
        return limbs
    }

    /// `2^190 - fraction` for a 190-bit fraction in six limbs (the top one of 30 bits).
    private func negate(_ fraction: [IRValue], _ name: String) -> [IRValue] {
        var result: [IRValue] = []
        var carry = integer(1)
        for j in 0..<6 {
            let width = j == 5 ? 30 : 32
            let mask = integer(1 << width - 1)
            let flipped = builder.xor(fraction[j], mask, name: "")
            let total = builder.wrappingAdd(flipped, carry, name: "\(name).neg\(j)")
            result.append(builder.and(total, mask, name: ""))
            carry = builder.shiftRight(total, integer(width), name: "")
        }
        return result
    }

    /// Limb `j` of the fraction as a double: `limb * 2^(32 j - 190)`, exact.
    private func limbValue(_ limb: IRValue, _ j: Int) -> IRValue {
        let weight = Double(sign: .plus, exponent: 32 * j - 190, significand: 1)
        return mul(builder.signedToFloat(limb, to: double, name: ""), weight)
    }
}
