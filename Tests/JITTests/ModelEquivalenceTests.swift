import Foundation
import JIT
import Micrograd
import Testing

/// `jit(mlp)` against the interpreter (`try mlp(x)`): equal within 1e-12 relative in Float64
/// (in fact bit for bit: same operation order, no fast-math), 1e-5 in Float32.
@Suite("Compiled MLPs equal interpreted")
struct ModelEquivalenceTests {
    static let shapes: [(Int, [Int])] = [(2, [1]), (2, [2, 1]), (2, [2, 2]), (10, [30, 20, 10, 1]), (3, [16, 16, 1]), (7, [5, 9, 3])]

    static func check(_ model: MLP, precision: JITOptions.Precision, samples: Int = 8, seed: UInt64 = 1) throws {
        let compiled = try jit(model, options: JITOptions(precision: precision))
        #expect(compiled.inputCount == model.inputCount)
        #expect(compiled.outputCount == model.outputCount)
        var random = SplitMix(seed: seed)
        for _ in 0..<samples {
            let x = (0..<model.inputCount).map { _ in Double.random(in: -2...2, using: &random) }
            let expected = try model(x).map(\.data)
            let got = try compiled(x)
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) {
                #expect(isClose(g, e, relative: tolerance(for: precision)), "\(model) at \(x): \(g) vs \(e)")
            }
        }
    }

    @Test("MLPs with one and several outputs", arguments: 0..<shapes.count)
    func mlp(_ index: Int) throws {
        let (inputs, layers) = Self.shapes[index]
        try Self.check(MLP(inputs: inputs, layers: layers, seed: UInt64(index) + 11), precision: .float64)
    }

    @Test("tanh and sigmoid activations", arguments: [Activation.tanh, .sigmoid, .relu, .linear])
    func activations(_ activation: Activation) throws {
        let model = MLP(inputs: 4, layers: [8, 6, 2], activations: [activation, activation, activation], seed: 5)
        try Self.check(model, precision: .float64)
    }

    @Test("Float32 compilation", arguments: 0..<shapes.count)
    func float32(_ index: Int) throws {
        let (inputs, layers) = Self.shapes[index]
        try Self.check(MLP(inputs: inputs, layers: layers, seed: UInt64(index) + 11), precision: .float32)
    }

    @Test("every optimisation level gives the interpreter's numbers", arguments: JITOptions.OptimizationLevel.allCases)
    func levels(_ level: JITOptions.OptimizationLevel) throws {
        let model = MLP(inputs: 3, layers: [5, 4, 2], seed: 2)
        let compiled = try jit(model, options: JITOptions(optimization: level))
        let x = [0.3, -1.2, 2.0]
        #expect(try compiled(x) == model(x).map(\.data))
    }

    @Test("the moons model on all 100 fixture points, bit for bit")
    func moons() throws {
        let fixture = try MoonsFixture.bundled()
        let model = MLP(inputs: 2, layers: [16, 16, 1])
        try model.loadParameters(fixture.initialParameters)
        let compiled = try jit(model)
        #expect(fixture.inputs.count == 100)
        var output = [0.0]
        for point in fixture.inputs {
            let expected = try model(point)[0].data
            #expect(try compiled(point)[0] == expected)
            try point.withUnsafeBufferPointer { x in
                try output.withUnsafeMutableBufferPointer { try compiled.evaluate(x, into: $0) }
            }
            #expect(output[0] == expected)
        }
    }

    @Test("the compiled model follows training without recompiling")
    func liveWeights() throws {
        let model = MLP(inputs: 2, layers: [4, 1], seed: 3)
        let compiled = try jit(model)
        let x = [0.5, -0.5]
        for step in 0..<3 {
            for (index, parameter) in model.parameters.enumerated() {
                parameter.data += 0.01 * Double(index % 5 - 2) * Double(step + 1)
            }
            #expect(try compiled(x) == model(x).map(\.data))
        }
    }
}
