@testable import JIT
import Micrograd
import Testing

/// The math library choice reaches every emitter: with `.builtIn` (or a target without a C math
/// library) a module defines its routines and calls no library function, which is what wasm32
/// and NVPTX need; with `.system` (the default) nothing changed.
@Suite("Math library: built-in routines in every emitter")
struct MathLibraryTests {
    /// A graph using every routine, and sigmoid (built on exp).
    static func everyRoutine() -> (outputs: [Value], inputs: [Value]) {
        let x = Value(0.5), y = Value(1.5)
        let outputs = [x.exp(), x.log(), x.tanh(), x.sigmoid(), x.sin(), x.cos(), x.pow(y), x.pow(3), x.sqrt(), x.abs()]
        return (outputs, [x, y])
    }

    /// The functions a module declares (calls without defining).
    static func declaredFunctions(_ ir: String) -> [String] {
        ir.split(separator: "\n").filter { $0.hasPrefix("declare") }.compactMap { line in
            line.split(separator: "@").dropFirst().first?.split(separator: "(").first.map(String.init)
        }
    }

    /// Math functions that are calls to libm on some target, as themselves or as the intrinsics
    /// `llvm.exp`, `llvm.floor`, `llvm.fma`, ... (a call to `floor` or `fma` without SSE4.1 or
    /// FMA, and always on wasm32 for `exp` and friends).
    static let libraryBacked = [
        "exp", "log", "pow", "sin", "cos", "tan", "floor", "ceil", "trunc", "rint", "nearbyint", "round", "fma",
        "frexp", "ldexp",
    ]

    /// Whether a module with these declarations calls no C math library: only intrinsics, none
    /// of them library-backed (`llvm.fabs`, `llvm.sqrt` are single instructions everywhere).
    static func callsNoMathLibrary(_ declared: [String]) -> Bool {
        declared.allSatisfy { name in
            name.hasPrefix("llvm.") && !libraryBacked.contains { name.dropFirst(5).hasPrefix($0) }
        }
    }

    @Test("built-in: no libm call or math intrinsic, before and after optimisation",
          arguments: JITOptions.Precision.allCases)
    func noLibraryCalls(_ precision: JITOptions.Precision) throws {
        let graph = Self.everyRoutine()
        let options = JITOptions(precision: precision, mathLibrary: .builtIn)
        let compiled = try jit(graph.outputs, inputs: graph.inputs, options: options)
        for optimized in [false, true] {
            let ir = try compiled.ir(optimized: optimized)
            let declared = Self.declaredFunctions(ir)
            #expect(Self.callsNoMathLibrary(declared), "declared: \(declared)")
            if !optimized {
                #expect(ir.contains("define internal double @mgrad.exp.f64"))
                #expect(ir.contains(precision == .float32 ? "@mgrad.pow.f32" : "@mgrad.pow.f64"))
            }
        }
        let results = try compiled([0.5, 1.5])
        #expect(results.allSatisfy { $0.isFinite })
    }

    @Test("system (the default): libm and intrinsics as before, no built-in routine")
    func systemUnchanged() throws {
        let graph = Self.everyRoutine()
        let ir = try jit(graph.outputs, inputs: graph.inputs).ir(optimized: false)
        #expect(ir.contains("@llvm.exp.f64") && ir.contains("@tanh") && ir.contains("@pow"))
        #expect(!ir.contains("mgrad."))
        #expect(!Self.callsNoMathLibrary(Self.declaredFunctions(ir)))
        #expect(JITOptions().mathLibrary == .system)
    }

    @Test("MLP kernels (single sample and batched): built-in tanh and sigmoid per lane")
    func mlp() throws {
        let model = MLP(inputs: 3, layers: [8, 8, 1], activations: [.tanh, .sigmoid, .linear], seed: 11)
        let compiled = try jit(model, options: JITOptions(mathLibrary: .builtIn))
        for ir in [try compiled.ir(optimized: false), try compiled.batchIR(optimized: false)] {
            #expect(ir.contains("@mgrad.tanh.f64") && ir.contains("@mgrad.exp.f64"))
            #expect(Self.callsNoMathLibrary(Self.declaredFunctions(ir)))
        }
        for ir in [try compiled.ir(), try compiled.batchIR()] {
            #expect(Self.callsNoMathLibrary(Self.declaredFunctions(ir)))
        }
        let rows = 37
        let batch = (0..<rows * 3).map { Double($0 % 11) / 5 - 1 }
        let scores = try compiled(batch: batch, rows: rows)
        for row in 0..<rows {
            let input = Array(batch[3 * row ..< 3 * row + 3])
            let expected = try model(input)[0].data
            #expect(abs(try compiled(input)[0] - expected) <= 1e-14 * max(1, abs(expected)), "row \(row)")
            #expect(abs(scores[row] - expected) <= 1e-14 * max(1, abs(expected)), "batched row \(row)")
        }
    }

    @Test("gradients: the compiled adjoints call the built-in routines too")
    func gradient() throws {
        let x = Value(0.7), y = Value(1.3)
        let loss = (x.pow(y) + x.log() * y.sin() + x.cos().exp() + x.tanh()).sigmoid()
        let compiled = try jit(loss, inputs: [x, y], parameters: [], options: JITOptions(mathLibrary: .builtIn))
        let ir = try compiled.ir(optimized: false)
        #expect(Self.callsNoMathLibrary(Self.declaredFunctions(ir)), "\(Self.declaredFunctions(ir))")
        let result = try compiled.valueAndGradient(inputs: [0.7, 1.3], parameters: [])
        loss.backward()
        #expect(abs(result.value - loss.data) <= 1e-15)
        #expect(abs(result.inputGradient[0] - x.grad) <= 1e-14 && abs(result.inputGradient[1] - y.grad) <= 1e-14)
    }

    @Test("compiled training (binary cross-entropy, Adam): built-in routines only")
    func training() throws {
        let model = MLP(inputs: 2, layers: [8, 1], activations: [.tanh, .linear], seed: 3)
        let trainer = try CompiledTrainer(
            model: model, objective: .binaryCrossEntropy, optimizer: Adam(), options: JITOptions(mathLibrary: .builtIn))
        let ir = try trainer.ir(optimized: false)
        #expect(ir.contains("@mgrad.exp.f64") && ir.contains("@mgrad.log.f64") && ir.contains("@mgrad.tanh.f64"))
        #expect(Self.callsNoMathLibrary(Self.declaredFunctions(ir)), "\(Self.declaredFunctions(ir))")
    }

    @Test("a target without a C math library gets the built-in routines whatever the option")
    func targetWithoutSystemMath() throws {
        let host = try TargetDescription.host()
        #expect(host.hasSystemMath)
        #expect(try TargetDescription(cpu: "generic").hasSystemMath)
        let bare = TargetDescription(
            triple: host.triple, cpu: host.cpu, features: host.features,
            capabilities: .init(
                vectorBits: host.vectorBits, hasFMA: host.hasFMA, vectorRegisters: host.vectorRegisters),
            hasSystemMath: false)
        #expect(JITOptions().usesBuiltInMath(on: bare))
        #expect(!JITOptions().usesBuiltInMath(on: host))
        #expect(JITOptions(mathLibrary: .builtIn).usesBuiltInMath(on: host))
    }
}
