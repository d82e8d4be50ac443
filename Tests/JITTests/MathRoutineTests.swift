import Foundation
import JIT
import Micrograd
import Testing

/// The built-in math routines (`JITOptions(mathLibrary: .builtIn)`) against glibc's libm, which
/// is within 1 ulp of the true values: at most 2 ulp apart over dense samples spanning each
/// routine's whole domain (subnormals to the overflow thresholds, sin and cos up to the largest
/// double), in Float64 (against `exp`, `log`, ...) and Float32 (against `expf`, `logf`, ...,
/// in float ulps). Special values are checked in `MathRoutineEdgeTests`.
@Suite("Built-in math routines: accuracy against libm")
struct MathRoutineTests {
    /// A routine under test: its graph, its libm references and its sample set.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let graph: @Sendable ([Value]) -> Value
        let reference: @Sendable (Double, Double) -> Double
        let reference32: @Sendable (Float, Float) -> Float
        let samples: @Sendable (inout SplitMix) -> [(Double, Double)]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "exp", graph: { $0[0].exp() }, reference: { x, _ in Foundation.exp(x) },
             reference32: { x, _ in Foundation.expf(x) }) { random in
            unary(&random) { r in
                [r.uniform(-746, 710), r.anyDouble(maxMagnitude: 746), r.uniform(-1, 1), r.uniform(-89, 89)]
            }
        },
        Case(name: "log", graph: { $0[0].log() }, reference: { x, _ in Foundation.log(x) },
             reference32: { x, _ in Foundation.logf(x) }) { random in
            unary(&random) { r in
                [r.anyDouble(signed: false), r.uniform(0.5, 2), 1 + r.uniform(-1e-6, 1e-6), r.uniform(0, 1e6)]
            }
        },
        Case(name: "tanh", graph: { $0[0].tanh() }, reference: { x, _ in Foundation.tanh(x) },
             reference32: { x, _ in Foundation.tanhf(x) }) { random in
            unary(&random) { r in
                [r.uniform(-25, 25), r.anyDouble(maxMagnitude: 30), r.uniform(-1.5, 1.5), r.uniform(-0.6, 0.6)]
            }
        },
        Case(name: "sin", graph: { $0[0].sin() }, reference: { x, _ in Foundation.sin(x) },
             reference32: { x, _ in Foundation.sinf(x) }) { random in trigSamples(&random) },
        Case(name: "cos", graph: { $0[0].cos() }, reference: { x, _ in Foundation.cos(x) },
             reference32: { x, _ in Foundation.cosf(x) }) { random in trigSamples(&random) },
        Case(name: "pow", graph: { $0[0].pow($0[1]) }, reference: { x, y in Foundation.pow(x, y) },
             reference32: { x, y in Foundation.powf(x, y) }) { random in powSamples(&random) },
    ]

    /// Samples per routine (four kinds, a quarter each).
    static let count = 100_000

    @Test("Float64: within 2 ulp of libm", arguments: cases)
    func float64(_ routine: Case) throws {
        let worst = try measure(routine, precision: .float64)
        print("built-in \(routine.name) Float64: max \(worst.ulps) ulp at \(worst.arguments)")
        #expect(worst.ulps <= 2, "\(routine.name)\(worst.arguments): \(worst.ulps) ulp")
    }

    @Test("Float32: within 2 float ulps of libm's float functions", arguments: cases)
    func float32(_ routine: Case) throws {
        let worst = try measure(routine, precision: .float32)
        print("built-in \(routine.name) Float32: max \(worst.ulps) ulp at \(worst.arguments)")
        #expect(worst.ulps <= 2, "\(routine.name)\(worst.arguments): \(worst.ulps) float ulps")
    }

    /// The largest ulp distance over the routine's samples, and where.
    private func measure(
        _ routine: Case, precision: JITOptions.Precision
    ) throws -> (ulps: Double, arguments: (Double, Double)) {
        let compiled = try Self.compile(routine.graph, arity: routine.name == "pow" ? 2 : 1, precision: precision)
        var random = SplitMix(seed: 0x6D61_7468)
        var worst = (ulps: 0.0, arguments: (0.0, 0.0))
        for (x, y) in routine.samples(&random) {
            let ulps: Double
            if precision == .float64 {
                ulps = ULP.distance(try compiled(x, y), routine.reference(x, y))
            } else {
                let (xf, yf) = (Float(x), Float(y))
                ulps = ULP.distance(Float(try compiled(Double(xf), Double(yf))), routine.reference32(xf, yf))
            }
            if ulps > worst.ulps { worst = (ulps, (x, y)) }
        }
        return worst
    }

    /// `graph` compiled once with the built-in math library, as a function of one or two inputs.
    static func compile(
        _ graph: ([Value]) -> Value, arity: Int, precision: JITOptions.Precision = .float64
    ) throws -> (Double, Double) throws -> Double {
        let inputs = (0..<arity).map { _ in Value(1) }
        let options = JITOptions(precision: precision, mathLibrary: .builtIn)
        let function = try jit([graph(inputs)], inputs: inputs, options: options)
        var arguments = [0.0, 0.0], result = [0.0]
        return { x, y in
            arguments[0] = x
            arguments[1] = y
            try arguments.withUnsafeBufferPointer { input in
                try result.withUnsafeMutableBufferPointer { output in
                    try function.evaluate(UnsafeBufferPointer(rebasing: input[0..<arity]), into: output)
                }
            }
            return result[0]
        }
    }

    /// `count` arguments of one-argument routines, cycling through the four kinds `make` draws.
    private static func unary(
        _ random: inout SplitMix, _ make: (inout SplitMix) -> [Double]
    ) -> [(Double, Double)] {
        (0..<count / 4).flatMap { _ in make(&random).map { ($0, 0) } }
    }

    /// Small and moderate angles, any finite double (up to 1.8e308), both sides of the 2^20
    /// switch to Payne-Hanek, and doubles next to multiples of pi/2.
    private static func trigSamples(_ random: inout SplitMix) -> [(Double, Double)] {
        unary(&random) { r in
            let n = Double(r.next() % (1 << 30))
            return [r.uniform(-10, 10), r.anyDouble(), r.uniform(-3e6, 3e6), n * (Double.pi / 2)]
        }
    }

    /// Any positive base with a moderate exponent, small bases with large exponents, results near
    /// the overflow and underflow thresholds (`y log x` up to +-745), negative bases with integer
    /// exponents.
    private static func powSamples(_ random: inout SplitMix) -> [(Double, Double)] {
        (0..<count / 4).flatMap { _ -> [(Double, Double)] in
            let base = random.uniform(0.5, 2), target = random.uniform(-745, 709.7)
            return [
                (random.anyDouble(signed: false), random.uniform(-1, 1)),
                (random.uniform(0, 4), random.uniform(-300, 300)),
                (base, target / Foundation.log(base)),
                (-random.uniform(0.01, 20), Double(Int(random.next() % 401) - 200)),
            ]
        }
    }
}
