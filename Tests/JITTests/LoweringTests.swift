import Foundation
@testable import JIT
import Micrograd
import Testing

/// The Program and the unoptimised IR: one row per op, shared nodes once, readable names.
@Suite("Lowering")
struct LoweringTests {
    /// The unoptimised IR of `outputs(x)` as a function of the placeholder `x`.
    static func ir(_ build: (Value) -> Value, precision: JITOptions.Precision = .float64) throws -> String {
        let x = Value(0)
        return try jit([build(x)], inputs: [x], options: JITOptions(precision: precision)).ir(optimized: false)
    }

    /// True when `lines` appear in `text` in this order (FileCheck-lite).
    static func containsInOrder(_ text: String, _ lines: [String]) -> Bool {
        var rest = text[...]
        for line in lines {
            guard let range = rest.range(of: line) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    @Test("IR text per op")
    func perOp() throws {
        #expect(Self.containsInOrder(try Self.ir { $0 + 1 }, ["%in0 = load double", "%add2 = fadd double %in0, 1.000000e+00"]))
        #expect(try Self.ir { $0 - 1 }.contains("%sub2 = fsub double %in0, 1.000000e+00"))
        #expect(try Self.ir { $0 * 3 }.contains("%mul2 = fmul double %in0, 3.000000e+00"))
        #expect(try Self.ir { $0 / 4 }.contains("%div2 = fdiv double %in0, 4.000000e+00"))
        #expect(try Self.ir { -$0 }.contains("%neg1 = fneg double %in0"))
        #expect(Self.containsInOrder(try Self.ir { $0.relu() }, ["fcmp ole double %in0, 0.000000e+00", "%relu1 = select i1"]))
        #expect(try Self.ir { $0.sqrt() }.contains("%sqrt1 = call double @llvm.sqrt.f64(double %in0)"))
        #expect(try Self.ir { $0.abs() }.contains("%abs1 = call double @llvm.fabs.f64(double %in0)"))
        #expect(try Self.ir { $0.sin() }.contains("%sin1 = call double @llvm.sin.f64(double %in0)"))
        #expect(try Self.ir { $0.cos() }.contains("%cos1 = call double @llvm.cos.f64(double %in0)"))
        #expect(Self.containsInOrder(try Self.ir { max($0, $0 * 2) }, ["fcmp ole", "fadd", "select", "fcmp olt", "%max3 = select"]))
        #expect(Self.containsInOrder(try Self.ir { min($0, $0 * 2) }, ["fcmp ole", "fadd", "select", "fcmp olt", "%min3 = select"]))
        #expect(Self.containsInOrder(try Self.ir { $0.clamp(min: -1, max: 2) },
                                     ["fcmp olt double %in0, -1.000000e+00", "select", "fcmp ogt", "%clamp1 = select"]))
        #expect(try Self.ir { $0.tanh() }.contains("%tanh1 = call double @tanh(double %in0)"))
        #expect(try Self.ir { $0.exp() }.contains("%exp1 = call double @llvm.exp.f64(double %in0)"))
        #expect(try Self.ir { $0.log() }.contains("%log1 = call double @llvm.log.f64(double %in0)"))
        #expect(Self.containsInOrder(try Self.ir { $0.sigmoid() },
                                     ["@llvm.fabs.f64", "@llvm.exp.f64", "fcmp oge", "select", "%sigmoid1 = fdiv double"]))
        #expect(try Self.ir { $0.pow(0.5) }.contains("%pow1 = call double @pow(double %in0, double 5.000000e-01)"))
        #expect(try Self.ir { $0.pow($0) }.contains("%powv1 = call double @pow(double %in0, double %in0)"))
        let pointer = IRSpelling.pointer(to: "double")
        let signature = "define void @graph(\(pointer) noalias nocapture %inputs, "
            + "\(pointer) noalias nocapture %outputs)"
        #expect(try Self.ir { $0.tanh() }.contains(signature))
    }

    @Test("constant powers call libm's pow, as the interpreter does (exact mode: its bits)")
    func integerPowers() throws {
        for exponent in [3.0, -2, 8, 65536, 1e6] {
            let text = try Self.ir { $0.pow(exponent) }
            let operand = String(format: "%e", exponent)
            #expect(text.contains("%pow1 = call double @pow(double %in0, double \(operand))"), "\(exponent)")
        }
        // LLVM's library-call simplifier must not turn pow(x, 0.5) into sqrt or pow(x, 2) into x * x
        // (not bit-identical to libm's pow): the declaration is `nobuiltin`.
        let x = Value(0)
        for exponent in [0.5, 2, -1] {
            let optimized = try jit([x.pow(exponent)], inputs: [x]).ir(optimized: true)
            #expect(optimized.contains("call double @pow(double"), "\(exponent)")
            #expect(!optimized.contains("sqrt") && !optimized.contains("fmul"), "\(exponent)")
        }
    }

    @Test("Float32 IR converts at the boundary and calls the float functions")
    func float32() throws {
        let text = try Self.ir({ $0.tanh().exp() }, precision: .float32)
        #expect(Self.containsInOrder(text, ["fptrunc double %in0 to float", "call float @tanhf", "call float @llvm.exp.f32", "fpext float"]))
    }

    @Test("no fast-math flags and no fused multiply-add in Float64")
    func noFastMath() throws {
        let model = try jit(MLP(inputs: 4, layers: [8, 1]))
        for text in [try model.ir(optimized: true), try jit(readmeExpression().g).ir(optimized: true)] {
            for flag in ["fast ", "contract ", "reassoc ", "@llvm.fma", "@llvm.fmuladd"] {
                #expect(!text.contains(flag), "\(flag)")
            }
        }
    }

    @Test("shared nodes are emitted once: N nodes, O(N) instructions")
    func sharedNodes() throws {
        // y = x; 200 times y = y * y + y: a DAG of 400 ops whose tree expansion is astronomically large.
        let x = Value(0.5)
        var y = x
        for _ in 0..<200 { y = y * y + y }
        let program = try Program(outputs: [y], inputs: [x])
        #expect(program.operationCount == 400)
        #expect(program.slots.count == 1 + 400)
        let text = try jit([y], inputs: [x]).ir(optimized: false)
        let instructions = text.split(separator: "\n").filter { $0.contains(" = fmul ") || $0.contains(" = fadd ") }
        #expect(instructions.count == 400)
    }

    @Test("the Program is printable and lists slots in order")
    func programText() throws {
        let x = Value(0)
        let program = try Program(outputs: [x * 2 + x], inputs: [x])
        #expect(program.description == """
            program(inputs: 1, outputs: 1)
              %0 = input 0
              %1 = const 2.0
              %2 = mul %0, %1
              %3 = add %2, %0
              output 0 = %3

            """)
    }

    @Test("linearisation is iterative: a 200k-deep chain")
    func deepChain() throws {
        let x = Value(0)
        var y = x
        for _ in 0..<200_000 { y = y + 1 }
        let program = try Program(outputs: [y], inputs: [x])
        #expect(program.operationCount == 200_000)
        // A smaller deep chain compiled end to end at O0.
        var z = x
        for _ in 0..<20_000 { z = z * 1.0001 + 0.5 }
        let compiled = try jit([z], inputs: [x], options: JITOptions(optimization: .o0))
        x.data = 0.25
        #expect(isClose(try compiled([0.25])[0], evaluate([z])[0]))
    }
}
