@testable import JIT
import Micrograd
import Testing
import TestSupport

/// Dot products found in big programs and compiled as loops (`DotChain`, issue 15).
@Suite("Dot-product chains")
struct DotChainTests {
    static let small = ProgramPartition.Limits(pieceSize: 7, singleFunctionLimit: 0, piecesPerModule: 3)

    /// A traced MLP(inputs,[...]) for one sample: its outputs and its input leaves.
    static func tracedMLP(_ inputs: Int, _ layers: [Int], seed: UInt64) throws -> ([Value], [Value]) {
        var random = RandomSource(seed: seed)
        let x = (0..<inputs).map { _ in Value(random.nextUniform(-1, 1)) }
        return (try MLP(inputs: inputs, layers: layers, seed: seed)(x), x)
    }

    @Test("a traced MLP: one chain per neuron, the interpreter's bits at O0, O2 and O3", arguments: [
        JITOptions.OptimizationLevel.o0, .o2, .o3,
    ])
    func tracedMLP(level: JITOptions.OptimizationLevel) throws {
        let (outputs, x) = try Self.tracedMLP(64, [64, 32, 10], seed: 3)
        let program = try Program(outputs: outputs, inputs: x)
        let partition = ProgramPartition(program, pieceSize: 1024, gradient: false)
        #expect(partition.chains.count == 64 + 32 + 10)
        #expect(partition.chains.map(\.left.count).sorted() == Array(repeating: 32, count: 10)
            + Array(repeating: 64, count: 96))
        let compiled = try jit(outputs, inputs: x, options: JITOptions(optimization: level))
        #expect(compiled.isPiecewise)
        let got = try compiled(x.map(\.data))
        for (g, want) in zip(got, outputs) { #expect(g.bitPattern == want.data.bitPattern, "\(g) vs \(want.data)") }
        // A traced MLP's neurons keep the reverse sweep's order: the gradient keeps every chain.
        #expect(ProgramPartition(program, pieceSize: 1024, gradient: true).chains.count == 64 + 32 + 10)
    }

    @Test("Float32 chains compute what the slots one by one compute (the single function), bit for bit")
    func float32() throws {
        let (outputs, x) = try Self.tracedMLP(40, [24, 3], seed: 5)
        let program = try Program(outputs: outputs, inputs: x)
        let options = JITOptions(precision: .float32, optimization: .o0)
        let pieces = try CompiledFunction(program: program, options: options, limits: Self.small)
        let single = try CompiledFunction(program: program, options: options)
        #expect(pieces.isPiecewise && !single.isPiecewise)
        var random = RandomSource(seed: 9)
        for _ in 0..<5 {
            let inputs = x.map { _ in random.nextUniform(-2, 2) }
            let a = try pieces(inputs), b = try single(inputs)
            for (p, s) in zip(a, b) { #expect(p.bitPattern == s.bitPattern) }
        }
    }

    /// `bias + sum c_i x_i + sum d_i tanh(x_i) + ...` built link by link, with `extra` applied
    /// to the partial sum after `cut` terms of the first run (nil: nothing uses it).
    static func chainGraph(terms: Int, cut: Int?, productFirst: Bool = false) -> (Value, [Value]) {
        var random = RandomSource(seed: 11)
        let x = (0..<terms).map { _ in Value(random.nextUniform(-1, 1)) }
        var sum = Value(0.25)
        var side: Value?
        for i in 0..<terms {
            let product = Value(random.nextUniform(-1, 1)) * x[i]
            sum = productFirst ? product + sum : sum + product
            if i + 1 == cut { side = sum.tanh() }
        }
        for i in 0..<terms { sum = sum + Value(random.nextUniform(-1, 1)) * x[i].tanh() }
        return (side.map { sum * $0 } ?? sum, x)
    }

    @Test("a chain spanning pieces is cut where a side's buffer changes; a shared partial sum ends a run")
    func cuts() throws {
        for cut in [nil, 20] as [Int?] {
            let (output, x) = Self.chainGraph(terms: 40, cut: cut)
            let program = try Program(outputs: [output], inputs: x)
            let chains = ProgramPartition(program, pieceSize: 7, gradient: false).chains
            // Constants times inputs, then constants times tanh values; a use of the partial sum
            // after 20 terms splits the first run in two.
            #expect(chains.map(\.left.count) == (cut == nil ? [40, 40] : [20, 20, 40]))
            #expect(chains.allSatisfy { $0.leftSource == .constants })
            #expect(chains.map(\.rightSource) == (cut == nil ? [.inputs, .values] : [.inputs, .inputs, .values]))
            let compiled = try CompiledFunction(program: program, options: .default, limits: Self.small)
            #expect(try compiled(x.map(\.data))[0].bitPattern == output.data.bitPattern)
        }
    }

    @Test("a sum written product first (w * x + sum) is not taken for a chain, and still exact")
    func productFirst() throws {
        let (output, x) = Self.chainGraph(terms: 30, cut: nil, productFirst: true)
        let program = try Program(outputs: [output], inputs: x)
        #expect(ProgramPartition(program, pieceSize: 7, gradient: false).chains.map(\.left.count) == [30])
        let compiled = try CompiledFunction(program: program, options: .default, limits: Self.small)
        #expect(try compiled(x.map(\.data))[0].bitPattern == output.data.bitPattern)
    }

    @Test("a chain's partial sums that are outputs stay slots")
    func outputsInside() throws {
        var random = RandomSource(seed: 2)
        let x = (0..<50).map { _ in Value(random.nextUniform(-1, 1)) }
        var sum = Value(0.0), outputs: [Value] = []
        for (i, input) in x.enumerated() {
            sum = sum + Value(random.nextUniform(-1, 1)) * input
            if i % 25 == 24 { outputs.append(sum) }
        }
        let program = try Program(outputs: outputs, inputs: x)
        #expect(ProgramPartition(program, pieceSize: 7, gradient: false).chains.map(\.left.count) == [25, 25])
        let compiled = try CompiledFunction(program: program, options: .default, limits: Self.small)
        let got = try compiled(x.map(\.data))
        for (g, want) in zip(got, outputs) { #expect(g.bitPattern == want.data.bitPattern) }
    }

    /// The compiled gradient in small pieces against the single function (no chains), bit for
    /// bit, and against `backward()`.
    static func checkGradient(
        _ loss: Value, inputs: [Value], parameters: [Value], precision: JITOptions.Precision = .float64
    ) throws {
        let options = JITOptions(precision: precision, optimization: .o0)
        let pieces = try CompiledGradient(loss: loss, inputs: inputs, parameters: parameters, options: options,
                                          limits: Self.small)
        let single = try CompiledGradient(loss: loss, inputs: inputs, parameters: parameters, options: options)
        #expect(pieces.isPiecewise && !single.isPiecewise)
        let got = pieces.valueAndGradient(), want = single.valueAndGradient()
        #expect(got.value.bitPattern == want.value.bitPattern)
        let gotAll = got.inputGradient + got.parameterGradient, wantAll = want.inputGradient + want.parameterGradient
        #expect(gotAll.map(\.bitPattern) == wantAll.map(\.bitPattern))
        guard precision == .float64 else { return }
        loss.zeroGrad()
        loss.backward()
        for (g, leaf) in zip(gotAll, inputs + parameters) { #expect(isClose(g, leaf.grad), "\(g) vs \(leaf.grad)") }
    }

    @Test("the gradient of a traced MLP loss: chains run backwards as loops, the single function's bits")
    func tracedGradient() throws {
        let mlp = MLP(inputs: 20, layers: [24, 18, 3], seed: 4)
        var random = RandomSource(seed: 6)
        let x = (0..<20).map { _ in Value(random.nextUniform(-1, 1)) }
        let outputs = try mlp(x)
        let loss = outputs.dropFirst().reduce(outputs[0] * outputs[0]) { $0 + $1 * $1 }
        let program = try Program(outputs: [loss], inputs: x + mlp.parameters)
        // Fan-ins 20, 24 and 18, none under DotChain.minimumTerms: a chain per neuron, all kept.
        #expect(ProgramPartition(program, pieceSize: 7, gradient: true).chains.count == 24 + 18 + 3)
        try Self.checkGradient(loss, inputs: x, parameters: mlp.parameters)
        try Self.checkGradient(loss, inputs: x, parameters: mlp.parameters, precision: .float32)
    }

    @Test("a chain that would reorder additions to an operand's adjoint is kept forward, dropped for a gradient")
    func reverseOrder() throws {
        var random = RandomSource(seed: 12)
        let x = (0..<40).map { _ in Value(random.nextUniform(-1, 1)) }
        // Weights that make the order of y[3]'s three adjoint contributions matter:
        // (1e16 + 2 * 0.5) - 1e16 = 0, (1e16 - 1e16) + 2 * 0.5 = 1.
        let w = (0..<40).map { i in Value([3: -1e16, 20: 0.5, 36: 1e16][i] ?? random.nextUniform(-1, 1)) }
        // Chain A over y = tanh(x), whose 21st term multiplies y[3] * 2: a use of y[3] between
        // A's product with y[3] and A's last sum (in the linearised order). Chain B over y too.
        let y = x.map { $0.tanh() }
        var a = Value(0.5)
        for i in 0..<40 { a = a + w[i] * (i == 20 ? y[3] * 2 : y[i]) }
        var b = Value(-0.5)
        for i in 0..<40 { b = b + y[39 - i] * w[i] }
        let loss = a + b
        let program = try Program(outputs: [loss], inputs: x + w)
        #expect(ProgramPartition(program, pieceSize: 7, gradient: false).chains.count == 2)
        let kept = ProgramPartition(program, pieceSize: 7, gradient: true).chains
        #expect(kept.count == 1 && kept.first?.left.count == 40, "only B keeps the reverse order")
        try Self.checkGradient(loss, inputs: x, parameters: w)
    }
}
