/// A double-double: the unevaluated sum `hi + lo` with `|lo| <= ulp(hi) / 2`, about 106 bits.
struct DoubleDouble {
    let hi: IRValue
    let lo: IRValue
}

/// The vocabulary of the built-in math routines' bodies: `double` arithmetic in short names,
/// constants, bit access, and the error-free transformations of double-double arithmetic.
///
/// NOTE (numerics): everything is plain IEEE `double` arithmetic, one rounding per operation,
/// no fused multiply-add (which is a libm call on targets without FMA) and no fast-math flags,
/// so LLVM may not reassociate the carefully ordered sums. Products are made exact with
/// Dekker's splitting instead of FMA.
struct MathBody {
    let builder: IRBuilder
    /// The routine being defined (for appending blocks).
    let function: Function

    var double: IRType { builder.context.double }
    var int64: IRType { builder.context.int64 }

    // MARK: Constants

    func constant(_ value: Double) -> IRValue { double.constant(value) }
    func integer(_ value: Int) -> IRValue { int64.constant(integer: value) }

    // MARK: Arithmetic

    func add(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.fadd(a, b, name: name) }
    func sub(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.fsub(a, b, name: name) }
    func mul(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.fmul(a, b, name: name) }
    func div(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.fdiv(a, b, name: name) }
    func neg(_ a: IRValue, _ name: String = "") -> IRValue { builder.fneg(a, name: name) }
    func mul(_ a: IRValue, _ b: Double, _ name: String = "") -> IRValue { mul(a, constant(b), name) }
    func add(_ a: IRValue, _ b: Double, _ name: String = "") -> IRValue { add(a, constant(b), name) }

    func select(_ condition: IRValue, _ yes: IRValue, _ no: IRValue, _ name: String = "") -> IRValue {
        builder.select(condition, yes, no, name: name)
    }

    /// An ordered comparison (false when either side is NaN).
    func compare(_ predicate: FloatPredicate, _ a: IRValue, _ b: Double, _ name: String = "") -> IRValue {
        builder.fcmp(predicate, a, constant(b), name: name)
    }

    func or(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.or(a, b, name: name) }
    func and(_ a: IRValue, _ b: IRValue, _ name: String = "") -> IRValue { builder.and(a, b, name: name) }

    /// `a(x)` evaluated by Horner's rule: `c[0] + x * (c[1] + x * (... + x * c[n]))`.
    func horner(_ x: IRValue, _ coefficients: [Double], _ name: String = "") -> IRValue {
        var result = constant(coefficients[coefficients.count - 1])
        for coefficient in coefficients.dropLast().reversed() {
            result = add(mul(result, x), coefficient, name)
        }
        return result
    }

    // MARK: Bits

    /// The IEEE bits of a `double`.
    func bits(_ x: IRValue, _ name: String = "") -> IRValue { builder.bitcast(x, to: int64, name: name) }
    /// The `double` with the given bits.
    func fromBits(_ i: IRValue, _ name: String = "") -> IRValue { builder.bitcast(i, to: double, name: name) }

    /// `|x|`, by clearing the sign bit (exact; NaN stays NaN).
    func magnitude(_ x: IRValue, _ name: String = "") -> IRValue {
        fromBits(builder.and(bits(x), integer(Int(Int64.max)), name: "\(name).b"), name)
    }

    /// `2^k` for an `i64` `k` in -1022...1023, built from its exponent field.
    func powerOfTwo(_ k: IRValue, _ name: String = "") -> IRValue {
        let biased = builder.wrappingAdd(k, integer(1023), name: "\(name).e")
        return fromBits(builder.shiftLeft(biased, integer(52), name: "\(name).b"), name)
    }

    /// `x` rounded to the nearest integer (ties to even), for `|x| < 2^51`.
    ///
    /// NOTE: adding and subtracting `1.5 * 2^52` rounds in the FPU's default mode; no call to
    /// `rint` (a libm function on targets without SSE4.1) and no `fptosi` of an unbounded value.
    func roundToInteger(_ x: IRValue, _ name: String = "") -> IRValue {
        let shifter = constant(0x1.8p52)
        return sub(add(x, shifter, "\(name).sh"), shifter, name)
    }

    // MARK: Error-free transformations

    /// `a + b` exactly as `hi + lo` (Knuth's TwoSum; any magnitudes).
    func twoSum(_ a: IRValue, _ b: IRValue, _ name: String = "") -> DoubleDouble {
        let s = add(a, b, "\(name).s")
        let bb = sub(s, a, "\(name).bb")
        let error = add(sub(a, sub(s, bb)), sub(b, bb), "\(name).e")
        return DoubleDouble(hi: s, lo: error)
    }

    /// `a + b` exactly as `hi + lo`, for `|a| >= |b|` (or `a == 0`) (Dekker's Fast2Sum).
    func fastTwoSum(_ a: IRValue, _ b: IRValue, _ name: String = "") -> DoubleDouble {
        let s = add(a, b, "\(name).s")
        return DoubleDouble(hi: s, lo: sub(b, sub(s, a), "\(name).e"))
    }

    /// `a` split into two 26-bit halves, `a = hi + lo` (Veltkamp), for `|a| < 2^995`.
    func split(_ a: IRValue, _ name: String = "") -> (hi: IRValue, lo: IRValue) {
        let scaled = mul(a, 134_217_729.0, "\(name).c")  // 2^27 + 1
        let hi = sub(scaled, sub(scaled, a), "\(name).h")
        return (hi, sub(a, hi, "\(name).l"))
    }

    /// `a * b` exactly as `hi + lo` (Dekker's TwoProduct), for `|a|, |b| < 2^995` and a product
    /// whose low part does not underflow.
    func twoProduct(_ a: IRValue, _ b: IRValue, _ name: String = "") -> DoubleDouble {
        let p = mul(a, b, "\(name).p")
        let (ah, al) = split(a, "\(name).a"), (bh, bl) = split(b, "\(name).b")
        let high = add(add(sub(mul(ah, bh), p), mul(ah, bl)), mul(al, bh))
        return DoubleDouble(hi: p, lo: add(high, mul(al, bl), "\(name).e"))
    }
}
