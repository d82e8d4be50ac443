import Foundation
import JIT
import Micrograd
import Testing

/// Batched calls of `jit(mlp)` against the interpreter, sample by sample.
///
/// Tolerance: 1e-12 relative (`isClose`), Float64. Each SIMD lane is one sample summed in the
/// interpreter's order, so in practice the results are bit for bit equal.
@Suite("Batched inference equals the interpreter")
struct BatchedInferenceTests {
    /// `rows` samples of `inputs` values uniform in [-2, 2], row-major.
    static func batch(rows: Int, inputs: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<rows * inputs).map { _ in Double.random(in: -2...2, using: &random) }
    }

    /// Checks the batched outputs of `rows` rows against `try model(x)` for the rows `checked`.
    static func check(
        _ model: MLP, rows: Int, checked: [Int]? = nil, threads: Int? = nil, seed: UInt64 = 3
    ) throws {
        let compiled = try jit(model)
        let inputs = batch(rows: rows, inputs: model.inputCount, seed: seed)
        let outputs = try compiled(batch: inputs, rows: rows, threads: threads)
        #expect(outputs.count == rows * model.outputCount)
        let n = model.inputCount, m = model.outputCount
        for row in checked ?? Array(0..<rows) {
            let expected = try model(Array(inputs[row * n ..< (row + 1) * n])).map(\.data)
            let got = Array(outputs[row * m ..< (row + 1) * m])
            for (g, e) in zip(got, expected) {
                #expect(isClose(g, e, relative: 1e-12), "row \(row) of \(rows): \(g) vs \(e)")
            }
        }
    }

    @Test("MLP(2,[16,16,1]) for batch sizes around the block and vector widths", arguments: [1, 3, 4, 5, 16, 17, 33, 63, 64, 65, 127, 128, 129, 130, 150])
    func smallModel(rows: Int) throws {
        try Self.check(MLP(inputs: 2, layers: [16, 16, 1], seed: 7), rows: rows)
    }

    /// Every 8th row and the last block's rows against the interpreter (all 4097 would take
    /// seconds in a debug build); `threadCountsAgree` covers the rest of the multi-core path.
    @Test("4097 rows: whole blocks on two threads and an exact 1-row tail")
    func largeBatchOnTwoThreads() throws {
        let rows = Array(stride(from: 0, to: 4097, by: 8)) + Array(4033..<4097)
        try Self.check(MLP(inputs: 2, layers: [16, 16, 1], seed: 8), rows: 4097, checked: rows, threads: 2)
    }

    @Test("one thread and many threads give the same numbers")
    func threadCountsAgree() throws {
        let model = MLP(inputs: 3, layers: [16, 16, 2], seed: 9)
        let compiled = try jit(model)
        let inputs = Self.batch(rows: 1000, inputs: 3, seed: 4)
        let single = try compiled(batch: inputs, rows: 1000, threads: 1)
        let many = try compiled(batch: inputs, rows: 1000, threads: 7)
        #expect(single == many)
    }

    @Test("MLP(784,[128,64,10]) on a few rows, including a partial block", arguments: [3, 16, 70, 129])
    func wideModel(rows: Int) throws {
        try Self.check(MLP(inputs: 784, layers: [128, 64, 10], seed: 10), rows: rows, checked: [0, rows - 1])
    }

    @Test("inputs spanning several cache chunks (1024 each) and a remainder neuron tile, tanh")
    func chunkedInputsWithRemainder() throws {
        let model = MLP(inputs: 2100, layers: [7, 2], activations: [.tanh, .linear], seed: 11)
        try Self.check(model, rows: 9)
    }

    @Test("every activation, and widths that leave remainder neuron tiles",
          arguments: [Activation.relu, .tanh, .sigmoid, .linear])
    func activations(_ activation: Activation) throws {
        let model = MLP(inputs: 5, layers: [7, 6, 3], activations: [activation, activation, activation], seed: 12)
        try Self.check(model, rows: 37)
    }

    @Test("the batched call equals the single-sample compiled call bit for bit")
    func equalsSingleSample() throws {
        let model = MLP(inputs: 4, layers: [9, 5, 2], activations: [.tanh, .relu, .sigmoid], seed: 13)
        let compiled = try jit(model)
        let inputs = Self.batch(rows: 21, inputs: 4, seed: 5)
        let outputs = try compiled(batch: inputs, rows: 21)
        for row in 0..<21 {
            #expect(Array(outputs[row * 2 ..< row * 2 + 2]) == (try compiled(Array(inputs[row * 4 ..< row * 4 + 4]))))
        }
    }
}
