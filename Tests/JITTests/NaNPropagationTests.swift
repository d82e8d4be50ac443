import JIT
import Micrograd
import Testing

/// NaN never turns into a plausible number in compiled code either: compiled MLPs (single
/// sample, batched, every activation) give NaN where the interpreter does, and the compiled
/// gradient of `x.pow(0)` at 0 is 0 as the interpreter's (PyTorch's convention).
@Suite("NaN propagation in compiled code")
struct NaNPropagationTests {
    @Test("an MLP fed a NaN returns NaN: interpreted, compiled, batched", arguments: Activation.allCases)
    func mlp(_ activation: Activation) throws {
        let model = MLP(inputs: 2, layers: [8, 8, 1], activations: [activation, .relu, .linear], seed: 5)
        let compiled = try jit(model)
        for input in [[Double.nan, 0.5], [0.5, .nan]] {
            #expect(try model(input)[0].data.isNaN, "interpreted \(input)")
            #expect(try compiled(input)[0].isNaN, "compiled \(input)")
        }
        // A batch of 256 rows with a NaN in every 7th row: exactly those rows are NaN.
        let rows = 256
        let batch: [Double] = (0..<rows).flatMap { (row: Int) -> [Double] in
            row % 7 == 0 ? [Double.nan, 1] : [Double(row) / 256, -0.5]
        }
        let scores = try compiled(batch: batch, rows: rows)
        for row in 0..<rows {
            let expected = try model(Array(batch[2 * row ..< 2 * row + 2]))[0].data
            #expect(scores[row].isNaN == (row % 7 == 0), "row \(row)")
            #expect(scores[row].isNaN == expected.isNaN && (expected.isNaN || scores[row] == expected), "row \(row)")
        }
    }

    @Test("relu(NaN) is NaN compiled, and d/dx x.pow(0) at 0 is 0 compiled")
    func scalarRows() throws {
        let x = Value(0)
        #expect(try jit([x.relu()], inputs: [x])([.nan])[0].isNaN)
        let gradient = try jit(x.pow(0), inputs: [x], parameters: []).valueAndGradient(inputs: [0], parameters: [])
        #expect(gradient.value == 1 && gradient.inputGradient == [0])
    }
}
