import Foundation

/// Fixed-point text of a `Double`, exactly as C's `printf("%.*f")` (and so Python's `%.4f`)
/// prints it, without going through `printf` for ordinary numbers.
///
/// NOTE: speed. `String(format:)` on Linux goes through CoreFoundation, and `vsnprintf` from
/// Swift boxes its arguments; either was most of the time of rendering a 10^5-node graph. The
/// fast path below is exact, so the text is the same as C's; the tests compare the two.
enum FixedPoint {
    /// `value` with `digits` (0...17) digits after the point: `nan`, `inf` and `-inf` for
    /// non-finite values (whatever the NaN's sign bit), `-0.0000` for tiny negative numbers.
    static func format(_ value: Double, digits: Int) -> String {
        let digits = min(max(digits, 0), 17)
        if value.isNaN { return "nan" }  // NOTE: C prints x86's default NaN (sign set) as "-nan".
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        guard let scaled = roundedScaled(abs(value), digits: digits) else {
            return viaC(value, digits: digits)
        }
        var text = value.sign == .minus ? "-" : ""
        let scale = powersOfTen[digits]
        text += String(scaled / scale)
        if digits > 0 {
            let fraction = String(scaled % scale)
            text += "."
            text += String(repeating: "0", count: digits - fraction.count)
            text += fraction
        }
        return text
    }

    /// `magnitude * 10^digits` rounded to the nearest integer, ties to even, computed on the
    /// exact product; nil when the product is too large for the exact method.
    ///
    /// NOTE: `p = magnitude * 10^digits` is rounded, but a fused multiply-add gives its exact error `e`, so the
    /// true product is `p + e` with |e| ≤ half an ulp of p. Rounding p to an integer `r` is then
    /// only wrong at a tie of p (p - r = ±0.5), where the sign of `e` decides. Away from a tie
    /// the nearest midpoint is at least one ulp from p, farther than e can move it.
    private static func roundedScaled(_ magnitude: Double, digits: Int) -> UInt64? {
        let factor = Double(powersOfTen[digits])  // exact up to 10^22
        let product = magnitude * factor
        guard product < 0x1p52 else { return nil }  // here every half-integer is a Double
        let exactError = (-product).addingProduct(magnitude, factor)  // fused: exact
        var rounded = product.rounded(.toNearestOrEven)
        let offset = product - rounded  // exact: both below 2^52
        if offset == 0.5, exactError > 0 {
            rounded += 1
        } else if offset == -0.5, exactError < 0 {
            rounded -= 1
        }
        return UInt64(rounded)
    }

    /// The C library's text, for numbers too large for the exact fast path.
    private static func viaC(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// 10^0 ... 10^17, all exact in both UInt64 and Double.
    private static let powersOfTen: [UInt64] = (0...17).map { power in
        (0..<power).reduce(UInt64(1)) { product, _ in product * 10 }
    }
}
