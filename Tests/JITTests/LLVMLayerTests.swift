@testable import JIT
import Micrograd
import Testing
import TestSupport

/// The thin LLVM layer: verification, error consumption, the pass pipeline, LLJIT.
@Suite("LLVM layer")
struct LLVMLayerTests {
    @Test("verify() catches bad IR with LLVM's message")
    func verifierCatchesBadIR() throws {
        let context = try Context()
        let module = Module(name: "bad", context: context)
        let double = context.double
        let function = module.addFunction("f", type: double.function([double]))
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        // An fadd of a double and an i64: ill-typed.
        let sum = builder.fadd(function.parameter(0, name: "x"), context.int64.constant(integer: 1), name: "bad")
        builder.ret(sum)
        #expect {
            try module.verify()
        } throws: { error in
            guard case JITError.verification(let message) = error else { return false }
            return message.contains("Both operands to a binary operator are not of the same type")
        }
    }

    @Test("a block without terminator is reported, not crashed on")
    func missingTerminator() throws {
        let context = try Context()
        let module = Module(name: "bad", context: context)
        let function = module.addFunction("g", type: context.void.function([]))
        _ = function.appendBlock("entry", in: context)
        #expect(throws: JITError.self) { try module.verify() }
    }

    @Test("an LLVMErrorRef becomes a thrown error with LLVM's message")
    func errorsAreConsumed() throws {
        let context = try Context()
        let machine = try TargetMachine(hostWithOptimization: .o2)
        let module = Module(name: "m", context: context)
        module.setTarget(machine)
        #expect {
            try PassPipeline.run(on: module, pipelineText: "no-such-pass", machine: machine)
        } throws: { error in
            guard case JITError.llvm(let message) = error else { return false }
            return message.contains("no-such-pass")
        }
        let jit = try LLJIT(machine: try TargetMachine(hostWithOptimization: .o2))
        #expect {
            _ = try jit.address(of: "missing_symbol")
        } throws: { error in
            guard case JITError.llvm(let message) = error else { return false }
            return message.contains("missing_symbol")
        }
    }

    @Test("a module handed to LLJIT is compiled; libm is resolved in the process")
    func handOver() throws {
        let context = try Context()
        let machine = try TargetMachine(hostWithOptimization: .o2)
        #expect(!machine.triple.isEmpty && machine.dataLayout.hasPrefix("e-"))
        let module = Module(name: "m", context: context)
        module.setTarget(machine)
        let double = context.double
        let function = module.addFunction("f", type: double.function([double]))
        let builder = IRBuilder(context: context)
        builder.position(atEndOf: function.appendBlock("entry", in: context))
        let tanh = module.mathDeclarations.callee(.tanh, for: double, float32: false)
        builder.ret(builder.call(tanh, [function.parameter(0, name: "x")], name: "t"))
        try module.verify()
        let jit = try LLJIT(machine: try TargetMachine(hostWithOptimization: .o2))
        try jit.add(module.intoThreadSafeModule())
        let f = unsafeBitCast(UInt(try jit.address(of: "f")), to: (@convention(c) (Double) -> Double).self)
        #expect(f(0.5) == Op.tanh.evaluate(0.5))
    }

    @Test("the emitted IR passes the verifier for every op and both precisions",
          arguments: JITOptions.Precision.allCases)
    func emittedIRVerifies(_ precision: JITOptions.Precision) throws {
        let graph = TestSupport.RandomGraph.make(seed: 99, leaves: 3, nodes: 60)
        let program = try Program(outputs: [graph.output], inputs: graph.leaves)
        let options = JITOptions(precision: precision, optimization: .o0)
        // Compiler.module verifies before returning.
        _ = try Compiler.module(named: "t", options: options, optimize: false) { module in
            try program.emit(into: module, precision: precision)
        }
        let shape = try MLPShape(MLP(inputs: 3, layers: [4, 4, 2], activations: [.tanh, .sigmoid, .relu]))
        _ = try Compiler.module(named: "t", options: options, optimize: false) { module in
            try shape.emit(into: module, precision: precision)
        }
    }
}
