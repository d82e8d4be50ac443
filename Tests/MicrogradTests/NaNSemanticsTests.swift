import Foundation
import Micrograd
import Testing

/// NaN, infinities and the gradient conventions at kinks and at 0, written down as PyTorch's
/// (the oracle here is the rule itself, by hand, not another implementation of the engine).
@Suite("NaN semantics and gradient conventions")
struct NaNSemanticsTests {
    /// The value and the gradient by each leaf of `build` at `point`.
    static func valueAndGradient(_ point: [Double], _ build: ([Value]) -> Value) -> (Double, [Double]) {
        let leaves = point.map { Value($0) }
        let out = build(leaves)
        out.backward()
        return (out.data, leaves.map(\.grad))
    }

    @Test("relu: NaN stays NaN (micrograd and PyTorch), -0 gives +0, relu'(0) = 0")
    func relu() {
        #expect(Value(.nan).relu().data.isNaN)
        #expect(Value(-0.0).relu().data.bitPattern == (0.0).bitPattern)
        #expect(Value(-3).relu().data == 0 && Value(2.5).relu().data == 2.5)
        #expect(Self.valueAndGradient([0]) { $0[0].relu() }.1 == [0])
        #expect(Self.valueAndGradient([1e-300]) { $0[0].relu() }.1 == [1])
        // PyTorch's threshold_backward: a NaN output passes the upstream gradient.
        #expect(Self.valueAndGradient([.nan]) { $0[0].relu() }.1 == [1])
    }

    @Test("an MLP fed a NaN returns NaN, never a plausible score")
    func mlpWithNaN() throws {
        let model = MLP(inputs: 2, layers: [8, 8, 1], seed: 3)
        #expect(try model([.nan, 0.5])[0].data.isNaN)
        #expect(try model([0.5, .infinity])[0].data.isNaN || !(try model([0.5, .infinity])[0].data.isFinite))
    }

    @Test("pow: d/dx x.pow(0) is 0 everywhere, also at 0; pow(NaN, 0) is 1")
    func powerZero() {
        for x in [0.0, -0.0, 2, -3, .infinity] {
            #expect(Self.valueAndGradient([x]) { $0[0].pow(0) } == (1, [0]), "\(x)")
        }
        #expect(Value(.nan).pow(0).data == 1)
        #expect(Self.valueAndGradient([0]) { $0[0].pow(2) }.1 == [0])
        #expect(Self.valueAndGradient([0]) { $0[0].pow(0.5) }.1 == [.infinity])
    }

    @Test("pow with a Value exponent: PyTorch's masks at a zero base and a zero exponent")
    func powerValue() {
        // Zero base, exponent >= 0: d/dexponent = 0.
        #expect(Self.valueAndGradient([0, 2]) { $0[0].pow($0[1]) }.1 == [0, 0])
        #expect(Self.valueAndGradient([0, 0]) { $0[0].pow($0[1]) }.1 == [0, 0])
        // Zero exponent: d/dbase = 0 (not 0 * pow(0, -1) = NaN).
        #expect(Self.valueAndGradient([0, 0]) { $0[0].pow($0[1]) }.0 == 1)
        // Zero base, negative exponent: inf * log(0) = -inf, as PyTorch.
        #expect(Self.valueAndGradient([0, -1]) { $0[0].pow($0[1]) }.1[1] == -.infinity)
        // Negative base: the exponent's gradient is NaN.
        #expect(Self.valueAndGradient([-2, 3]) { $0[0].pow($0[1]) }.1[1].isNaN)
        let (value, gradient) = Self.valueAndGradient([2, 3]) { $0[0].pow($0[1]) }
        #expect(value == 8 && gradient == [12, 8 * Foundation.log(2)])
    }

    @Test("division by zero and log follow IEEE 754")
    func divisionAndLog() {
        #expect(Self.valueAndGradient([1, 0]) { $0[0] / $0[1] }.0 == .infinity)
        #expect(Self.valueAndGradient([0, 0]) { $0[0] / $0[1] }.0.isNaN)
        let (_, gradient) = Self.valueAndGradient([1, 0]) { $0[0] / $0[1] }
        #expect(gradient[0] == .infinity && gradient[1] == -.infinity)
        #expect(Value(0).log().data == -.infinity && Value(-1).log().data.isNaN)
        #expect(Self.valueAndGradient([0]) { $0[0].log() }.1 == [.infinity])
    }

    @Test("max and min: NaN propagates; a tie sends half the gradient to each side")
    func maximumAndMinimum() {
        #expect(max(Value(.nan), Value(1)).data.isNaN && max(Value(1), Value(.nan)).data.isNaN)
        #expect(min(Value(.nan), Value(1)).data.isNaN && min(Value(1), Value(.nan)).data.isNaN)
        #expect(max(Value(-2), Value(3)).data == 3 && min(Value(-2), Value(3)).data == -2)
        #expect(Self.valueAndGradient([2, 2]) { max($0[0], $0[1]) }.1 == [0.5, 0.5])
        #expect(Self.valueAndGradient([2, 2]) { min($0[0], $0[1]) }.1 == [0.5, 0.5])
        #expect(Self.valueAndGradient([1, 4]) { max($0[0], $0[1]) }.1 == [0, 1])
        #expect(Self.valueAndGradient([1, 4]) { min($0[0], $0[1]) }.1 == [1, 0])
        #expect(Self.valueAndGradient([.nan, 4]) { max($0[0], $0[1]) }.1 == [1, 1])
        // x used twice at a tie: both halves reach it.
        #expect(Self.valueAndGradient([3]) { max($0[0], $0[0]) }.1 == [1])
    }

    @Test("clamp: PyTorch's clamp(min, max): NaN stays NaN, inclusive bounds pass the gradient")
    func clamp() {
        #expect(Value(.nan).clamp(min: -1, max: 1).data.isNaN)
        #expect(Value(5).clamp(min: -1, max: 1).data == 1 && Value(-5).clamp(min: -1, max: 1).data == -1)
        #expect(Value(0.25).clamp(min: -1, max: 1).data == 0.25)
        #expect(Value(0).clamp(min: 2, max: 1).data == 1)  // min(max(x, 2), 1): the upper bound wins
        for (x, expected) in [(-1.0, 1.0), (1, 1), (0, 1), (1.5, 0), (-2, 0), (.nan, 0)] {
            #expect(Self.valueAndGradient([x]) { $0[0].clamp(min: -1, max: 1) }.1 == [expected], "\(x)")
        }
    }

    @Test("abs, sqrt, sin, cos: values and conventional derivatives")
    func elementary() {
        #expect(Self.valueAndGradient([0]) { $0[0].abs() }.1 == [0])
        #expect(Self.valueAndGradient([-2]) { $0[0].abs() } == (2, [-1]))
        #expect(Value(-0.0).abs().data.bitPattern == (0.0).bitPattern)
        #expect(Value(.nan).abs().data.isNaN && Value(-1).sqrt().data.isNaN)
        #expect(Self.valueAndGradient([0]) { $0[0].sqrt() }.1 == [.infinity])
        #expect(Self.valueAndGradient([4]) { $0[0].sqrt() } == (2, [0.25]))
        #expect(Self.valueAndGradient([0.5]) { $0[0].sin() } == (Foundation.sin(0.5), [Foundation.cos(0.5)]))
        #expect(Self.valueAndGradient([0.5]) { $0[0].cos() } == (Foundation.cos(0.5), [-Foundation.sin(0.5)]))
        #expect(Value(.infinity).sin().data.isNaN && Value(.infinity).cos().data.isNaN)
    }

    @Test("the new ops show in DOT pictures with their symbols")
    func symbols() {
        let x = Value(1, label: "x")
        let y = max(x.sqrt(), x.abs().sin()) + min(x.cos(), x.clamp(min: 0, max: 2))
        let text = y.dot()
        for symbol in ["√", "|x|", "sin", "cos", "max", "min", "clamp[0.0, 2.0]"] {
            #expect(text.contains(symbol), "\(symbol)")
        }
    }
}
