import Foundation
import JIT
import Micrograd
import Testing
import TestSupport

/// Compiled == interpreted: the interpreter (the engine's `Value` forward pass) is the oracle.
/// Tolerance: 1e-12 relative in Float64, 1e-5 in Float32 (see `isClose`).
@Suite("Compiled equals interpreted")
struct EquivalenceTests {
    /// Every op of the catalogue at its edge points (NaN, infinities, signed zeros, subnormals,
    /// kinks, ties, bounds) and smooth points: compiled equals interpreted bit for bit (any NaN
    /// equal to any NaN), at O2 and O0, as a function of its operands and as a constant graph.
    @Test("every op of the catalogue, at edges and smooth points, bit for bit", arguments: OpCatalogue.all)
    func everyOp(_ row: OpCase) throws {
        let placeholders = (0..<row.arity).map { _ in Value(0) }
        let optimized = try jit([row.apply(placeholders)], inputs: placeholders)
        let unoptimized = try jit(
            [row.apply(placeholders)], inputs: placeholders, options: JITOptions(optimization: .o0))
        for point in row.edges + row.smoothPoints {
            let expected = row.apply(point.map { Value($0) }).data
            #expect(sameResult(try optimized(point)[0], expected), "\(row.name)\(point) O2")
            #expect(sameResult(try unoptimized(point)[0], expected), "\(row.name)\(point) O0")
        }
        for point in row.smoothPoints {
            let constant = row.apply(point.map { Value($0) })
            #expect(sameResult(try jit(constant)(), constant.data), "\(row.name)\(point) constant")
        }
    }

    @Test("large integer powers: libm's pow, as the interpreter (x.pow(65536) at 1.00001)")
    func largeIntegerPowers() throws {
        let x = Value(0)
        for exponent in [65536.0, 65537, -65536, 1000, 7] {
            let compiled = try jit([x.pow(exponent)], inputs: [x])
            for point in [1.00001, 0.99999, -1.00001, 3] {
                let expected = Value(point).pow(exponent).data
                #expect(sameResult(try compiled([point])[0], expected), "\(point) ** \(exponent)")
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
