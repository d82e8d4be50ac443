import Foundation
@testable import JIT
import Micrograd
import Testing

/// LLVM 14 through 19: the version built against, and pass pipelines that every supported
/// version parses and applies as written (LLVM rejects an unknown pass or option; nothing is
/// silently dropped).
@Suite("LLVM versions")
struct LLVMVersionTests {
    @Test("the LLVM built against is a supported one, and the one scripts/test asked for")
    func version() {
        #expect((14...19).contains(LLVMVersion.major))
        #expect(LLVMVersion.string.hasPrefix("\(LLVMVersion.major)."))
        // NOTE: scripts/test sets MGRAD_EXPECT_LLVM for each version it builds, so a build that
        // picked up another version's cllvm.pc fails here.
        if let expected = ProcessInfo.processInfo.environment["MGRAD_EXPECT_LLVM"] {
            #expect(String(LLVMVersion.major) == expected, "built against LLVM \(LLVMVersion.string)")
        }
    }

    @Test("every pipeline the JIT uses is accepted at every level",
          arguments: [PassPipeline.Kind.standard, .kernel, .loops, .tiles])
    func pipelinesParse(_ kind: PassPipeline.Kind) throws {
        let shape = try MLPShape(MLP(inputs: 3, layers: [4, 2]))
        for level in JITOptions.OptimizationLevel.allCases {
            let options = JITOptions(optimization: level)
            // Compiler.module runs the pipeline and throws LLVM's message if it rejects the text.
            let text = try Compiler.module(named: "t", options: options, optimize: true, pipeline: kind) { module in
                try shape.emit(into: module, precision: .float64)
            }.irText
            #expect(text.contains("define"), "\(kind) at \(level)")
        }
    }

    @Test("an unknown option of a parameterised pass is an error, not ignored")
    func unknownPassOption() throws {
        let context = try Context()
        let machine = try TargetMachine(hostWithOptimization: .o2)
        let module = Module(name: "m", context: context)
        module.setTarget(machine)
        #expect {
            try PassPipeline.run(
                on: module, pipelineText: "function(loop-unroll<O2;full-unroll-max=4;no-such-option>)",
                machine: machine)
        } throws: { error in
            guard case JITError.llvm(let message) = error else { return false }
            return message.contains("no-such-option")
        }
    }

    /// The optimised IR of `void f(double* p) { for i in 0..<trips { p[i] *= 2 } }` after the
    /// `.tiles` pipeline at O2.
    static func tilesIR(trips: Int) throws -> String {
        let options = JITOptions(optimization: .o2)
        return try Compiler.module(named: "t", options: options, optimize: true, pipeline: .tiles) { module in
            let context = module.context
            let double = context.double
            let function = module.addFunction("f", type: context.void.function([double.pointer]))
            function.markNoAlias(parameter: 0, in: context)
            let builder = IRBuilder(context: context)
            builder.position(atEndOf: function.appendBlock("entry", in: context))
            let buffer = function.parameter(0, name: "p")
            _ = builder.loop("l", count: trips, in: function) { index, _ in
                let address = builder.elementPointer(double, buffer, index, name: "a")
                let value = builder.load(double, from: address, name: "x")
                let doubled = builder.fmul(value, double.constant(2), name: "y")
                _ = builder.store(doubled, to: address)
                return []
            }
            builder.retVoid()
        }.irText
    }

    @Test("the .tiles pipeline fully unrolls loops of up to 4 trips and no longer ones")
    func shortLoopUnrolling() throws {
        let four = try Self.tilesIR(trips: 4)
        #expect(!four.contains(" phi "))
        #expect(four.components(separatedBy: "fmul double").count - 1 == 4)
        let five = try Self.tilesIR(trips: 5)
        #expect(five.contains(" phi "))
        #expect(five.components(separatedBy: "fmul double").count - 1 == 1)
    }
}
