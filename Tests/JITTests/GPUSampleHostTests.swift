import Foundation
@testable import JIT
import Micrograd
import Testing

/// The GPU kernel's arithmetic checked on the CPU: the very `@mlp_sample` function the kernel
/// inlines (same emitter, same `addrspace(1)` pointers) is JIT-compiled for the host and run on
/// each row, then compared with the interpreter bit for bit (Float64) and with the CPU JIT's
/// Float32 model bit for bit (Float32).
@Suite("GPU sample function on the CPU")
struct GPUSampleHostTests {
    typealias Entry = @convention(c) (UnsafeRawPointer, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void

    /// Runs the host-compiled sample function over `rows` rows of `inputs`.
    static func run(
        _ model: MLP, _ inputs: [Double], rows: Int, precision: JITOptions.Precision, unrolledLimit: Int? = nil
    ) throws -> [Double] {
        var sample = GPUSampleEmitter(shape: try MLPShape(model), precision: precision, addressSpace: 1)
        if let unrolledLimit { sample.unrolledLimit = unrolledLimit }
        let options = JITOptions(precision: precision)
        let code = try Compiler.compile(
            named: "sample", entry: GPUSampleEmitter.name, options: options, pipeline: .kernel
        ) { try sample.emit(into: $0) }
        let entry = code.entry(as: Entry.self)
        let weights64 = model.storage.values
        let weights32 = weights64.map { Float($0) }  // what the runner uploads for Float32
        var outputs = [Double](repeating: .nan, count: rows * model.outputCount)
        let (n, m) = (model.inputCount, model.outputCount)
        func each(_ parameters: UnsafeRawPointer) {
            inputs.withUnsafeBufferPointer { x in
                outputs.withUnsafeMutableBufferPointer { out in
                    for row in 0..<rows { entry(parameters, x.baseAddress! + row * n, out.baseAddress! + row * m) }
                }
            }
        }
        if precision == .float32 { weights32.withUnsafeBytes { each($0.baseAddress!) } } else {
            weights64.withUnsafeBytes { each($0.baseAddress!) }
        }
        _ = code  // keeps the machine code alive until here
        return outputs
    }

    static func randomInputs(_ count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in Double.random(in: -3...3, using: &random) }
    }

    static func interpreted(_ model: MLP, _ inputs: [Double], rows: Int) throws -> [Double] {
        try (0..<rows).flatMap { row in
            try model(Array(inputs[row * model.inputCount ..< (row + 1) * model.inputCount])).map(\.data)
        }
    }

    static func expectSameBits(_ got: [Double], _ expected: [Double], _ what: String) {
        #expect(got.count == expected.count)
        let differing = zip(got, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        let first = differing.first.map { "\($0)" } ?? ""
        #expect(differing.isEmpty, "\(what): \(differing.count) of \(got.count) differ, first \(first)")
    }

    @Test("Float64: bit for bit the interpreter, straight-line and as loops", arguments: [nil, 0])
    func float64Small(unrolledLimit: Int?) throws {
        let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 1337)
        let rows = 512
        let x = Self.randomInputs(rows * 2, seed: 3)
        let got = try Self.run(model, x, rows: rows, precision: .float64, unrolledLimit: unrolledLimit)
        Self.expectSameBits(got, try Self.interpreted(model, x, rows: rows), "MLP(2,[16,16,1])")
    }

    @Test("loops with full and partial tiles of neurons", arguments: JITOptions.Precision.allCases)
    func partialTiles(precision: JITOptions.Precision) throws {
        let model = MLP(inputs: 5, layers: [37, 20, 3], seed: 21)  // 37 = 2 * 16 + 5 = 32 + 5
        let rows = 40
        let x = Self.randomInputs(rows * 5, seed: 6)
        let got = try Self.run(model, x, rows: rows, precision: precision, unrolledLimit: 0)
        let expected = precision == .float64
            ? try Self.interpreted(model, x, rows: rows)
            : try jit(model, options: JITOptions(precision: .float32))(batch: x, rows: rows)
        Self.expectSameBits(got, expected, "tiles, \(precision)")
    }

    @Test("Float64 MLP(784,[128,64,10]): the interpreter on a few rows, the CPU JIT on many")
    func float64Wide() throws {
        let model = MLP(inputs: 784, layers: [128, 64, 10], seed: 5)
        let rows = 64
        let x = Self.randomInputs(rows * 784, seed: 4)
        let got = try Self.run(model, x, rows: rows, precision: .float64)
        let few = 2
        Self.expectSameBits(Array(got[..<(few * 10)]), try Self.interpreted(model, x, rows: few), "interpreter")
        let cpu = try jit(model)(batch: x, rows: rows)
        Self.expectSameBits(got, cpu, "CPU JIT")
    }

    @Test("Float32: bit for bit the CPU JIT's Float32 model", arguments: [(2, [16, 16, 1]), (784, [128, 64, 10])])
    func float32(inputs: Int, layers: [Int]) throws {
        let model = MLP(inputs: inputs, layers: layers, seed: 9)
        let rows = 32
        let x = Self.randomInputs(rows * inputs, seed: 5)
        let got = try Self.run(model, x, rows: rows, precision: .float32)
        let cpu = try jit(model, options: JITOptions(precision: .float32))(batch: x, rows: rows)
        Self.expectSameBits(got, cpu, "Float32")
        let interpreted = try Self.interpreted(model, x, rows: 2)
        for (g, e) in zip(got, interpreted) { #expect(abs(g - e) <= 1e-4 * Swift.max(1, abs(e))) }
    }

    @Test("special inputs: NaN, infinities, signed zeros, huge values, as the interpreter")
    func specialValues() throws {
        let model = MLP(inputs: 2, layers: [4, 3], activations: [.relu, .linear], seed: 2)
        let specials: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1e308, -1e308, .leastNonzeroMagnitude, 1]
        let x = specials.flatMap { a in specials.flatMap { b in [a, b] } }
        let rows = x.count / 2
        let got = try Self.run(model, x, rows: rows, precision: .float64)
        let expected = try Self.interpreted(model, x, rows: rows)
        for (g, e) in zip(got, expected) {
            #expect(g.isNaN == e.isNaN)
            if !e.isNaN { #expect(g.bitPattern == e.bitPattern, "\(g) vs \(e)") }
        }
    }
}
