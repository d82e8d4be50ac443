import Foundation
import JIT
import Micrograd
import Testing

/// The built-in math routines at every edge, against glibc: signed zeros, subnormals,
/// infinities, NaN, the overflow and underflow thresholds, saturation, huge angles, and every
/// C99 special case of `pow`. A result libm gives as NaN, a zero, an infinity or +-1 must be
/// that exactly (sign included); any other result within 2 ulp and finite where libm's is.
@Suite("Built-in math routines: special values")
struct MathRoutineEdgeTests {
    static let specials: [Double] = [
        0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-1023,
        -.leastNormalMagnitude, 1e-300, -1e-300, 0x1p-28, 0x1p-27, 1, -1, .infinity, -.infinity, .nan,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]

    @Test("exp: zeros, infinities, NaN, the overflow and underflow thresholds")
    func exp() throws {
        try check({ $0[0].exp() }, Foundation.exp, arguments: Self.specials + [
            709.782712893384, 709.7827128933840, 709.78271289338397, 709.78271289338400, 709.8, 710, 1000,
            -708.39641853226408, -708.4, -745.1332191019411, -745.13321910194122, -745.1332191019412, -745.2, -746,
            -1000, 1e-20, -1e-20,
        ])
    }

    @Test("log: log(0) = -inf, log(x < 0) = NaN, subnormals, 1, infinity")
    func log() throws {
        try check({ $0[0].log() }, Foundation.log, arguments: Self.specials + [
            0.5, 2, 0x1.fffffffffffffp-1, 0x1.0000000000001p0, 0x1p-1074, 0x1.ffffffffffffep-1023, 0x1.8p-1063, -5,
            -0x1p-1074,
        ])
    }

    @Test("tanh: tanh(tiny) = tiny, saturation to +-1, zeros, infinities, NaN")
    func tanh() throws {
        try check({ $0[0].tanh() }, Foundation.tanh, arguments: Self.specials + [
            0x1p-29, -0x1p-29, 0.5, -0.5, 0.55, 19, 21.9, 22, -22, 22.1, -22.1, 40, 1e300, -1e300,
        ])
    }

    @Test("sigmoid: through the built-in exp, within 2 ulp of the engine's (libm's exp) everywhere")
    func sigmoid() throws {
        let builtIn = try MathRoutineTests.compile({ $0[0].sigmoid() }, arity: 1)
        var random = SplitMix(seed: 0x7369_676D)
        let dense = (0..<20_000).map { _ in random.uniform(-40, 40) }
            + (0..<20_000).map { _ in random.anyDouble(maxMagnitude: 800) }
        for x in Self.specials + [-40, 40, -745, -746, 745, 1e-20, -36.7, 36.8] + dense {
            try expectSame(try builtIn(x, 0), Op.stableSigmoid(x), "sigmoid(\(x))")
        }
    }

    @Test("sin and cos: zeros, tiny and huge arguments, infinities, NaN")
    func trigonometry() throws {
        let arguments = Self.specials + [
            Double.pi / 2, Double.pi, -Double.pi, 2 * Double.pi, 1e22, -1e22, 0x1p20, 0x1p20 - 0x1p-32,
            0x1.0000000000001p20, 1e6, 5_319_372_648 * Double.pi, 0x1p1023, 1e300,
        ]
        try check({ $0[0].sin() }, Foundation.sin, arguments: arguments)
        try check({ $0[0].cos() }, Foundation.cos, arguments: arguments)
    }

    /// `6381956970095103 * 2^797` is the double closest to a multiple of pi/2 (Muller's table):
    /// `x mod pi/2 = 4.6871659242546276111e-19`, in quadrant 1, so `cos(x)` is minus that.
    ///
    /// NOTE: glibc 2.36's `cos` gives `-4.68716592425462e-19` here, 8 ulp away from the true
    /// value, which mpmath (2000-bit precision) and an exact rational reduction with 1464 bits of
    /// pi both give as `-4.6871659242546276111...e-19`; its double, `-0x1.14ae72e6ba22fp-61`, is
    /// the reference, not glibc.
    @Test("sin and cos of the double closest to a multiple of pi/2: correctly rounded")
    func closestToQuarterTurn() throws {
        let x = 6381956970095103 * 0x1p797
        #expect(try MathRoutineTests.compile({ $0[0].cos() }, arity: 1)(x, 0) == -0x1.14ae72e6ba22fp-61)
        #expect(try MathRoutineTests.compile({ $0[0].sin() }, arity: 1)(x, 0) == 1)
    }

    @Test("pow: every C99 special case, as glibc")
    func pow() throws {
        let bases: [Double] = [
            0, -0.0, 1, -1, 2, -2, 0.5, -0.5, .infinity, -.infinity, .nan, -8, 8, .leastNonzeroMagnitude, 10, -10,
            .greatestFiniteMagnitude, 0x1.0000000000001p0, 0x1.fffffffffffffp-1,
        ]
        let exponents: [Double] = [
            0, -0.0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 1.0 / 3, .infinity, -.infinity, .nan, 1e300, -1e300, 0x1p53,
            0x1p53 + 2, 0x1p52 + 1, 1024, -1074, -1075, 1023.5, 308, -323, 4e18, -4e18,
        ]
        let compiled = try MathRoutineTests.compile({ $0[0].pow($0[1]) }, arity: 2)
        for x in bases {
            for y in exponents {
                try expectSame(try compiled(x, y), Foundation.pow(x, y), "pow(\(x), \(y))")
            }
        }
    }

    @Test("Float32: zeros, infinities, NaN and thresholds as libm's float functions")
    func float32() throws {
        let floats: [Float] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 1, -1, .infinity,
            -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 88.72, 88.73, -103.9, -104, 9, 1e30,
        ]
        let routines: [(String, ([Value]) -> Value, (Float) -> Float)] = [
            ("exp", { $0[0].exp() }, Foundation.expf), ("log", { $0[0].log() }, Foundation.logf),
            ("tanh", { $0[0].tanh() }, Foundation.tanhf),
            ("sin", { $0[0].sin() }, Foundation.sinf), ("cos", { $0[0].cos() }, Foundation.cosf),
        ]
        for (name, graph, reference) in routines {
            let compiled = try MathRoutineTests.compile(graph, arity: 1, precision: .float32)
            for x in floats {
                try expectSame(Float(try compiled(Double(x), 0)), reference(x), "\(name)(\(x)) in Float32")
            }
        }
        let power = try MathRoutineTests.compile({ $0[0].pow($0[1]) }, arity: 2, precision: .float32)
        for x in floats {
            for y in [Float(0), -0.0, 1, -1, 2, -3, 0.5, .infinity, -.infinity, .nan, 1e10] {
                try expectSame(Float(try power(Double(x), Double(y))), Foundation.powf(x, y), "powf(\(x), \(y))")
            }
        }
    }

    // MARK: Checking

    private func check(_ graph: ([Value]) -> Value, _ reference: (Double) -> Double, arguments: [Double]) throws {
        let compiled = try MathRoutineTests.compile(graph, arity: 1)
        for x in arguments {
            try expectSame(try compiled(x, 0), reference(x), "\(x)")
        }
    }

    /// Special results exactly (NaN, signed zeros, infinities, +-1), others within 2 ulp.
    private func expectSame(_ got: Double, _ expected: Double, _ label: String) throws {
        if expected.isNaN || expected == 0 || expected.isInfinite || expected.magnitude == 1 {
            #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN),
                    "\(label): got \(got), libm \(expected)")
        } else {
            #expect(got.isFinite && ULP.distance(got, expected) <= 2, "\(label): got \(got), libm \(expected)")
        }
    }

    private func expectSame(_ got: Float, _ expected: Float, _ label: String) throws {
        if expected.isNaN || expected == 0 || expected.isInfinite || expected.magnitude == 1 {
            #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN),
                    "\(label): got \(got), libm \(expected)")
        } else {
            #expect(got.isFinite && ULP.distance(got, expected) <= 2, "\(label): got \(got), libm \(expected)")
        }
    }
}
