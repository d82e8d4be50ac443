import JIT
import Micrograd
import Testing

/// The batched API's shapes, errors and live-parameter behaviour.
@Suite("Batched inference API")
struct BatchedAPITests {
    @Test("[[Double]] in, one array per sample out")
    func nestedArrays() throws {
        let model = MLP(inputs: 2, layers: [4, 3], seed: 1)
        let compiled = try jit(model)
        let samples = [[0.5, -1.0], [1.5, 0.25], [-2.0, 0.0]]
        let outputs = try compiled(batch: samples)
        #expect(outputs.count == 3)
        for (sample, output) in zip(samples, outputs) {
            #expect(output == (try compiled(sample)))
        }
    }

    @Test("an empty batch gives no outputs")
    func emptyBatch() throws {
        let compiled = try jit(MLP(inputs: 2, layers: [3, 1], seed: 1))
        #expect(try compiled(batch: [], rows: 0).isEmpty)
        #expect(try compiled(batch: [[Double]]()).isEmpty)
    }

    @Test("size mismatches throw batchShapeMismatch with the sizes in the message")
    func mismatches() throws {
        let compiled = try jit(MLP(inputs: 3, layers: [2], seed: 1))
        #expect(throws: JITError.batchShapeMismatch("2 rows of 3 inputs need 6 values, the batch holds 5")) {
            try compiled(batch: [1, 2, 3, 4, 5], rows: 2)
        }
        #expect(throws: JITError.batchShapeMismatch("sample 1 has 2 inputs, the model takes 3")) {
            try compiled(batch: [[1, 2, 3], [1, 2]])
        }
        #expect(throws: JITError.batchShapeMismatch("a batch cannot have -1 rows")) {
            try compiled(batch: [], rows: -1)
        }
        #expect(throws: JITError.batchShapeMismatch("\(Int.max / 2) rows of this model do not fit in memory")) {
            try compiled(batch: [], rows: Int.max / 2)
        }
        let inputs = [Double](repeating: 0, count: 6)
        var outputs = [Double](repeating: 0, count: 3)
        #expect(throws: JITError.batchShapeMismatch(
            "2 rows of 2 outputs need room for 4 values, the output buffer holds 3")) {
            try inputs.withUnsafeBufferPointer { x in
                try outputs.withUnsafeMutableBufferPointer { y in try compiled(batch: x, rows: 2, into: y) }
            }
        }
    }

    @Test("batched calls read the live parameters: a change shows up without recompiling")
    func liveParameters() throws {
        let model = MLP(inputs: 2, layers: [8, 1], seed: 2)
        let compiled = try jit(model)
        let inputs = [0.5, -0.5, 1.0, 2.0, -1.0, 0.25]
        let before = try compiled(batch: inputs, rows: 3)
        try model.loadParameters(model.parameters.map { $0.data * 0.5 + 0.125 })
        let after = try compiled(batch: inputs, rows: 3)
        #expect(before != after)
        for row in 0..<3 {
            let expected = try model(Array(inputs[row * 2 ..< row * 2 + 2]))[0].data
            #expect(isClose(after[row], expected, relative: 1e-12))
        }
    }

    @Test("Float32 models batch too, within 1e-5 of the interpreter")
    func float32() throws {
        let model = MLP(inputs: 3, layers: [10, 4], activations: [.tanh, .linear], seed: 3)
        let compiled = try jit(model, options: JITOptions(precision: .float32))
        let inputs = (0..<15).map { Double($0) / 7 - 1 }
        let outputs = try compiled(batch: inputs, rows: 5)
        for row in 0..<5 {
            let expected = try model(Array(inputs[row * 3 ..< row * 3 + 3])).map(\.data)
            for (g, e) in zip(outputs[row * 4 ..< row * 4 + 4], expected) {
                #expect(isClose(g, e, relative: 1e-5))
            }
        }
    }

    @Test("the batched kernel's IR computes on vectors of the host's width")
    func vectorIR() throws {
        let compiled = try jit(MLP(inputs: 2, layers: [16, 16, 1], seed: 1))
        let ir = try compiled.batchIR()
        let lanes = try TargetDescription.host().lanes(for: .float64)
        #expect(ir.contains("define void @mlp_block"))
        #expect(ir.contains("fmul <\(lanes) x double>"))
        #expect(ir.contains("fadd <\(lanes) x double>"))
        #expect(!ir.contains("fast"))
    }
}
