import JIT
import Micrograd
import Testing

@Suite("Public API")
struct APITests {
    @Test("a wrong input count throws, naming expected and given counts")
    func arity() throws {
        let model = try jit(MLP(inputs: 3, layers: [2, 1]))
        #expect(throws: JITError.inputCountMismatch(expected: 3, given: 2)) { try model([1, 2]) }
        let error = JITError.inputCountMismatch(expected: 3, given: 2)
        #expect(error.description.contains("3") && error.description.contains("2"))

        let x = Value(0), y = Value(0)
        let function = try jit([x + y], inputs: [x, y])
        #expect(throws: JITError.inputCountMismatch(expected: 2, given: 3)) { try function([1, 2, 3]) }
        var out = [0.0, 0.0]
        #expect(throws: JITError.outputCountMismatch(expected: 1, given: 2)) {
            try [1.0, 2.0].withUnsafeBufferPointer { x in
                try out.withUnsafeMutableBufferPointer { try function.evaluate(x, into: $0) }
            }
        }
    }

    @Test("a custom op is an unsupported-operation error, never skipped")
    func unsupportedOp() throws {
        let square = CustomOp(name: "square", forward: { $0 * $0 }, derivative: { 2 * $0 })
        let x = Value(3)
        let y = x.apply(square) + 1
        #expect(y.data == 10)
        #expect(throws: JITError.unsupportedOperation("square")) { try jit(y) }
        #expect(throws: JITError.unsupportedOperation("square")) { try jit([y], inputs: [x]) }
    }

    @Test("inputs must be distinct leaves")
    func invalidInputs() throws {
        let x = Value(1)
        let y = x * 2
        #expect(throws: JITError.self) { try jit([y], inputs: [y]) }
        #expect(throws: JITError.self) { try jit([y], inputs: [x, x]) }
    }

    @Test("printing a compiled object shows its LLVM IR, before and after optimisation")
    func description() throws {
        let (a, b, g) = readmeExpression()
        // A constant graph folds to its value; with inputs the IR keeps every op.
        #expect(try jit(g).description.contains("define void @graph("))
        let compiled = try jit([g], inputs: [a, b])
        #expect(compiled.description.contains("define void @graph("))
        let unoptimized = try compiled.ir(optimized: false)
        #expect(unoptimized.contains("%mul"))
        #expect(unoptimized.contains("%relu"))
        #expect(unoptimized.contains("fdiv double"))

        let model = try jit(MLP(inputs: 2, layers: [16, 16, 1]))
        #expect(model.description.contains("define void @mlp("))
        let loops = try model.ir(optimized: false)
        // Layer 1: a loop over tiles of up to 4 groups of `lanes` neurons (16 / lanes groups: one
        // tile of 4 with AVX2's 4 doubles, of 2 with AVX-512's 8) around a loop over blocks of
        // `lanes` inputs; layer 2 (one neuron): the scalar loop over neurons around the loop over inputs.
        let groups = 16 / (try TargetDescription.host().lanes(for: .float64))
        let tile = groups % 4 == 0 ? 4 : groups % 4
        #expect(loops.contains("l1.t\(tile).body:"))
        #expect(loops.contains("l1.t\(tile).blk.body:"))
        #expect(loops.contains("l2.n.body:"))
        #expect(loops.contains("l2.i.body:"))
    }

    @Test("graphs with several outputs, and outputs that are inputs or constants")
    func outputs() throws {
        let x = Value(0), y = Value(0)
        let sum = x + y
        let function = try jit([sum, sum * sum, x, Value(7)], inputs: [x, y])
        #expect(try function([2, 3]) == [5, 25, 2, 7])
        #expect(function.outputCount == 4 && function.inputCount == 2)
    }

    @Test("JITError descriptions carry the details")
    func errorText() {
        #expect(JITError.unsupportedOperation("square").description.contains("square"))
        #expect(JITError.llvm("boom").description.contains("boom"))
        #expect(JITError.verification("bad").description.contains("bad"))
    }
}
