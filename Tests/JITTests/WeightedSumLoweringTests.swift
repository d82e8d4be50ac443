@testable import JIT
import Micrograd
import Testing

/// Lowering of `.weightedSum` nodes: expanded into the chain's `*` and `+` slots, compiled
/// value and gradient equal to the interpreter's bit for bit (no tolerance).
@Suite("Weighted sum lowering")
struct WeightedSumLoweringTests {
    @Test("a weighted sum becomes mul/add slots in chain order; no terms aliases the bias")
    func expansion() throws {
        let x = Value(1), y = Value(2), w0 = Value(3), w1 = Value(4), b = Value(5)
        let s = try Value.weightedSum(bias: b, weights: [w0, w1], inputs: [x, y])
        let program = try Program(outputs: [s], inputs: [x, y])
        // Topological order: b, w0, x, w1, y, then the expansion.
        let multiply = try #require(Program.Instruction(.multiply)), add = try #require(Program.Instruction(.add))
        let expected: [Program.Slot] = [
            .constant(5), .constant(3), .input(0), .constant(4), .input(1),
            .operation(multiply, [1, 2]), .operation(add, [0, 5]),
            .operation(multiply, [3, 4]), .operation(add, [6, 7]),
        ]
        #expect(program.slots == expected)
        #expect(program.outputs == [8])
        let alone = try Value.weightedSum(bias: x, weights: [], inputs: [])
        let aliased = try Program(outputs: [alone], inputs: [x])
        #expect(aliased.slots == [.input(0)] && aliased.outputs == [0])
    }

    @Test("compiled value and gradient equal backward() bit for bit, with operands used several times")
    func gradientMatchesInterpreter() throws {
        var random = RandomSource(seed: 77)
        for trial in 0..<20 {
            let leaves = (0..<4).map { _ in Value(random.nextUniform(-3, 3)) }
            let terms = 1 + Int(random.next() % 6)
            let pick = { (r: inout RandomSource) in leaves[Int(r.next() % 4)] }
            let bias = pick(&random)
            let weights = (0..<terms).map { _ in pick(&random) }
            let inputs = (0..<terms).map { _ in pick(&random) }
            let loss = try Value.weightedSum(bias: bias, weights: weights, inputs: inputs).tanh()
            let compiled = try jit(loss, inputs: Array(leaves[..<2]), parameters: Array(leaves[2...]))
            let result = try compiled.valueAndGradient(
                inputs: leaves[..<2].map(\.data), parameters: leaves[2...].map(\.data))
            loss.zeroGrad()
            loss.backward()
            #expect(result.value.bitPattern == loss.data.bitPattern, "trial \(trial): value")
            let gradient = result.inputGradient + result.parameterGradient
            for (index, leaf) in leaves.enumerated() {
                #expect(gradient[index].bitPattern == leaf.grad.bitPattern, "trial \(trial), leaf \(index): \(gradient[index]) vs \(leaf.grad)")
            }
        }
    }
}
