@testable import JIT
import Micrograd
import Synchronization
import Testing
import TestSupport

/// Programs compiled as pieces (issue 15), forced on small random graphs by tiny limits, and
/// at the default limits on big graphs. Forward results: bit for bit the interpreter's and the
/// single function's in Float64 (the same operations in the same order; only the places where
/// values wait between pieces change). Float32: 1e-5 relative to the interpreter.
@Suite("Piecewise compilation")
struct PiecewiseCompilationTests {
    /// Pieces of 7 slots, 3 per module, and no single-function path: every cut is exercised.
    static let tiny = ProgramPartition.Limits(pieceSize: 7, singleFunctionLimit: 0, piecesPerModule: 3)

    @Test("random graphs in pieces == interpreter, bit for bit (Float64), O0, O2 and O3", arguments: [
        JITOptions.OptimizationLevel.o0, .o2, .o3,
    ])
    func randomGraphsFloat64(level: JITOptions.OptimizationLevel) throws {
        for seed in UInt64(1)...40 {
            let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 3, nodes: 40)
            let options = JITOptions(optimization: level)
            let program = try Program(outputs: [output], inputs: leaves)
            let pieces = try CompiledFunction(program: program, options: options, limits: Self.tiny)
            #expect(pieces.isPiecewise)
            let own = try pieces(leaves.map(\.data))[0]
            #expect(sameResult(own, output.data), "seed \(seed): \(own) vs \(output.data)")
            // Away from the graph's own leaves: the same bits as the single function.
            let single = try CompiledFunction(program: program, options: options)
            #expect(!single.isPiecewise)
            var random = RandomSource(seed: seed)
            let x = leaves.map { $0.data + random.nextUniform(-0.25, 0.25) }
            #expect(sameResult(try pieces(x)[0], try single(x)[0]), "seed \(seed) at \(x)")
        }
    }

    @Test("random graphs in pieces, Float32: within 1e-5 of the interpreter")
    func randomGraphsFloat32() throws {
        for seed in UInt64(41)...60 {
            let (output, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 3, nodes: 40)
            let program = try Program(outputs: [output], inputs: leaves)
            let compiled = try CompiledFunction(program: program, options: JITOptions(precision: .float32), limits: Self.tiny)
            let got = try compiled(leaves.map(\.data))[0]
            #expect(isClose(got, output.data, relative: 1e-5), "seed \(seed): \(got) vs \(output.data)")
        }
    }

    @Test("several outputs, repeated and defined in early pieces, and an input used nowhere")
    func outputsAcrossPieces() throws {
        let x = Value(0.5), y = Value(-1.25), unused = Value(3)
        var chain = x
        for step in 0..<30 { chain = step % 3 == 0 ? (chain * y).tanh() : chain + Double(step) * 0.01 }
        let early = x * y
        let outputs = [early, chain, early, y, Value(2.5)]
        let program = try Program(outputs: outputs, inputs: [x, y, unused])
        let compiled = try CompiledFunction(program: program, options: .default, limits: Self.tiny)
        let got = try compiled([0.5, -1.25, 3])
        let want = outputs.map(\.data)
        #expect(got.count == want.count)
        for (g, w) in zip(got, want) { #expect(sameResult(g, w), "\(g) vs \(w)") }
    }

    @Test("a graph over the single-function limit is compiled in pieces by jit and matches the interpreter")
    func defaultLimits() throws {
        let (output, leaves) = TestSupport.RandomGraph.make(seed: 99, leaves: 16, nodes: 6000)
        let compiled = try jit([output], inputs: leaves)
        #expect(compiled.program.slots.count > ProgramPartition.Limits.standard.singleFunctionLimit)
        #expect(compiled.isPiecewise)
        #expect(sameResult(try compiled(leaves.map(\.data))[0], output.data))
    }

    @Test("printed pieces keep value names and read constants from the constant buffer")
    func printedPieces() throws {
        let x = Value(0.5)
        var node = x
        for step in 0..<40 { node = step % 2 == 0 ? (node * 1.25).tanh() : node + x }
        let program = try Program(outputs: [node], inputs: [x])
        let pieces = try CompiledFunction(program: program, options: .default, limits: Self.tiny)
        let ir = try pieces.ir(optimized: false)
        #expect(ir.contains(" %constants)"), "every piece takes the constant buffer last")
        #expect(ir.contains("%c1 = load double"), "a constant slot is a load from the constant buffer")
        #expect(ir.contains("%tanh"), "operations keep their names when printed")
        #expect(!ir.contains("0x3FF4000000000000"), "1.25 is not a literal")
        #expect(try pieces([0.5])[0].bitPattern == node.data.bitPattern)
    }

    @Test("a 1,000,000-deep chain compiles (O0) and computes the interpreter's value")
    func millionDeepChain() throws {
        let x = Value(0.25)
        var node = x
        for step in 0..<1_000_000 { node = step % 2 == 0 ? node * 0.999 : node + 0.0005 }
        let compiled = try jit([node], inputs: [x], options: JITOptions(optimization: .o0))
        #expect(compiled.isPiecewise)
        #expect(compiled.prefetchesCode, "megabytes of code are prefetched piece by piece")
        #expect(sameResult(try compiled([0.25])[0], node.data))
    }

    @Test("each piece's code runs to the next piece's start when that is near, else is the median piece's length")
    func codeLines() throws {
        let base: UInt64 = 1 << 32
        // Three pieces of one object (12,800 and 6,400 bytes, then its last), and one far away.
        let addresses = [base, base + 12_800, base + 19_200, base + (64 << 20)]
        let lines = PiecewiseCode.codeLines(addresses).map(\.lines)
        #expect(lines == [200, 100, 200, 200], "\(lines)")
        // Call order need not be address order.
        #expect(PiecewiseCode.codeLines(addresses.reversed()).map(\.lines) == lines.reversed())
        let small = try jit([Value(1) * 2], inputs: [])
        #expect(!small.prefetchesCode)
    }

    @Test("progress: compiled slots rise to the total, then every piece function is linked")
    func progress() throws {
        let (output, leaves) = TestSupport.RandomGraph.make(seed: 5, leaves: 3, nodes: 60)
        let program = try Program(outputs: [output], inputs: leaves)
        let reports = Mutex<[CompilationProgress]>([])
        let compiled = try CompiledFunction(program: program, options: .default, limits: Self.tiny) { report in
            reports.withLock { $0.append(report) }
        }
        let seen = reports.withLock { $0 }
        let compiling = seen.filter { $0.stage == .compiling }, linking = seen.filter { $0.stage == .linking }
        #expect(compiling.map(\.completed) == compiling.map(\.completed).sorted())
        #expect(compiling.last?.completed == program.slots.count && compiling.last?.total == program.slots.count)
        let pieces = (program.slots.count + 6) / 7
        #expect(linking.map(\.completed) == Array(1...pieces))
        #expect(seen.firstIndex { $0.stage == .linking }! > seen.lastIndex { $0.stage == .compiling }!)
        #expect(try compiled.ir().components(separatedBy: "define void @piece").count - 1 == pieces)
    }

    @Test("a small graph reports one compiling step")
    func progressOfSmallGraph() throws {
        let x = Value(1)
        let reports = Mutex<[CompilationProgress]>([])
        _ = try jit([x * x], inputs: [x]) { report in reports.withLock { $0.append(report) } }
        #expect(reports.withLock { $0 } == [CompilationProgress(stage: .compiling, completed: 2, total: 2)])
    }

    @Test("one piecewise function called from many threads at once")
    func concurrentCalls() throws {
        let (output, leaves) = TestSupport.RandomGraph.make(seed: 17, leaves: 3, nodes: 50)
        let program = try Program(outputs: [output], inputs: leaves)
        let compiled = try CompiledFunction(program: program, options: .default, limits: Self.tiny)
        let x = leaves.map(\.data), want = output.data
        let failures = Atomic<Int>(0)
        runTogether(threads: 8) { _ in
            for _ in 0..<200 where !((try? compiled(x)[0]).map { sameResult($0, want) } ?? false) {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }
}
