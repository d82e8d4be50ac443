import Foundation
import JIT
import Micrograd
import Testing

/// Compiled == interpreted: the interpreter (the engine's `Value` forward pass) is the oracle.
/// Tolerance: 1e-12 relative in Float64, 1e-5 in Float32 (see `isClose`).
@Suite("Compiled equals interpreted")
struct EquivalenceTests {
    nonisolated(unsafe) static let unaryOps: [(String, (Value) -> Value)] = [
        ("neg", { -$0 }), ("relu", { $0.relu() }), ("tanh", { $0.tanh() }), ("exp", { $0.exp() }),
        ("log", { ($0 * $0 + 0.1).log() }), ("sigmoid", { $0.sigmoid() }),
        ("pow0", { $0.pow(0) }), ("pow1", { $0.pow(1) }), ("pow2", { $0.pow(2) }), ("pow3", { $0.pow(3) }),
        ("pow7", { $0.pow(7) }), ("pow-1", { $0.pow(-1) }), ("pow-2", { $0.pow(-2) }),
        ("pow0.5", { ($0 * $0).pow(0.5) }), ("pow2.5", { ($0 * $0).pow(2.5) }), ("pow-1.5", { ($0 * $0 + 1).pow(-1.5) }),
    ]
    nonisolated(unsafe) static let binaryOps: [(String, (Value, Value) -> Value)] = [
        ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
        ("powv", { ($0 * $0 + 0.25).pow($1) }),
    ]
    static let points: [Double] = [-3.5, -1, -0.25, 0, 0.3, 1, 2.75, 40, -40, 800, -800]

    @Test("each unary op alone, as a constant graph and as a function", arguments: 0..<unaryOps.count)
    func unaryOp(_ index: Int) throws {
        let (name, op) = Self.unaryOps[index]
        let x = Value(0)
        let function = try jit([op(x)], inputs: [x])
        for point in Self.points {
            let constant = op(Value(point))
            let expected = constant.data
            #expect(isClose(try jit(constant)(), expected), "\(name)(\(point)) constant")
            #expect(isClose(try function([point])[0], expected), "\(name)(\(point))")
        }
    }

    @Test("each binary op alone", arguments: 0..<binaryOps.count)
    func binaryOp(_ index: Int) throws {
        let (name, op) = Self.binaryOps[index]
        let x = Value(0), y = Value(0)
        let function = try jit([op(x, y)], inputs: [x, y])
        for a in Self.points.prefix(8) {
            for b in Self.points.prefix(8) {
                let expected = op(Value(a), Value(b)).data
                #expect(isClose(try function([a, b])[0], expected), "\(name)(\(a), \(b))")
            }
        }
    }

    @Test("karpathy's README expression")
    func readme() throws {
        let (_, _, g) = readmeExpression()
        #expect(g.data == 24.70408163265306)
        #expect(isClose(try jit(g)(), 24.70408163265306))
        #expect(isClose(try jit(g, options: JITOptions(optimization: .o0))(), 24.70408163265306))
    }

    @Test("the README expression as a function of a and b")
    func readmeFunction() throws {
        let (a, b, g) = readmeExpression()
        let function = try jit([g], inputs: [a, b])
        #expect(isClose(try function([-4, 2])[0], 24.70408163265306))
        for (x, y) in [(1.5, -2.0), (3.0, 0.5), (-0.75, 4.0)] {
            a.data = x
            b.data = y
            #expect(isClose(try function([x, y])[0], evaluate([g])[0]))
        }
    }

    @Test("karpathy's sanity expression")
    func sanity() throws {
        let (x, y) = sanityExpression()
        #expect(y.data == -20)
        #expect(try jit(y)() == -20)
        let function = try jit([y], inputs: [x])
        for value in [-4.0, -1.5, 0, 0.5, 3] {
            x.data = value
            #expect(isClose(try function([value])[0], evaluate([y])[0]))
        }
    }

    @Test("a neuron and a layer, as graphs over placeholder inputs", arguments: Activation.allCases)
    func neuronAndLayer(_ activation: Activation) throws {
        let inputs = (0..<5).map { Value(0, label: "x\($0)") }
        let neuron = Neuron(inputs: 5, activation: activation, seed: 7)
        let layer = Layer(inputs: 5, outputs: 4, activation: activation, seed: 9)
        let compiledNeuron = try jit([try neuron(inputs)], inputs: inputs)
        let compiledLayer = try jit(try layer(inputs), inputs: inputs)
        var random = SplitMix(seed: 3)
        for _ in 0..<10 {
            let x = (0..<5).map { _ in Double.random(in: -2...2, using: &random) }
            #expect(isClose(try compiledNeuron(x)[0], try neuron(x).data))
            let expected = try layer(x).map(\.data)
            for (got, want) in zip(try compiledLayer(x), expected) { #expect(isClose(got, want)) }
        }
    }
}
