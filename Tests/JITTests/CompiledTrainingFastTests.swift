import Foundation
import JIT
import Micrograd
import Testing

/// `.fast` numerics in the compiled step: fused multiply-adds in the forward, input-adjoint and
/// weight-gradient kernels, within the bound `TrainingEmitter` states,
/// `|fast − exact| <= 2 γ_(m+1) (|s0| + Σ|a_i b_i|)` per element summed from `s0` over m
/// products (γ_k = k·eps / (1 − k·eps), eps = 2⁻⁵³); exact where the processor has no FMA.
@Suite("Compiled training: fast numerics")
struct CompiledTrainingFastTests {
    static let eps = 0x1p-53

    static func gamma(_ k: Int) -> Double { Double(k) * eps / (1 - Double(k) * eps) }

    @Test("one linear layer: every weight gradient within 2 γ(n+1) Σ|x·ds| of the exact one, biases exact")
    func linearLayerBound() throws {
        guard try TargetDescription.host().hasFMA else { return }
        // Hinge on a linear layer with |score| < 1: every margin is positive, so each score's
        // adjoint is -y / (n · outputs) in both modes and only the gradient sums differ.
        let (inputs, outputs, n) = (13, 5, 40)
        var random = RandomSource(seed: 17)
        let rows = (0..<n).map { _ in (0..<inputs).map { _ in random.nextUniform(-0.01, 0.01) } }
        let targetRows = (0..<n).map { r in (0..<outputs).map { ($0 + r) % 3 == 0 ? 1.0 : -1.0 } }
        let batch = try TrainingBatch(rows: rows, targetRows: targetRows)
        var gradients: [[Double]] = [], parameters: [[Double]] = []
        for numerics in [JITOptions.Numerics.exact, .fast] {
            let model = MLP(inputs: inputs, layers: [outputs], activations: [.linear], seed: 23)
            let trainer = try CompiledTrainer(model: model, optimizer: SGD(learningRate: 0.5),
                                              options: JITOptions(numerics: numerics))
            try trainer.step(batch)
            gradients.append(trainer.gradient)
            parameters.append(model.storage.values)
        }
        let g = 1 / Double(n * outputs)
        var differing = 0
        for k in 0..<outputs {
            for j in 0...inputs {
                let index = k * (inputs + 1) + j
                let (exact, fast) = (gradients[0][index], gradients[1][index])
                if j == inputs {
                    // The bias: fma(1, ds, acc) rounds acc + ds once, as the exact add does.
                    #expect(fast.bitPattern == exact.bitPattern, "bias \(k): \(fast) vs \(exact)")
                    continue
                }
                let terms = rows.reduce(0) { $0 + abs($1[j] * g) }
                let bound = 2 * Self.gamma(n + 1) * terms
                #expect(abs(fast - exact) <= bound, "weight \(k),\(j): |\(fast) - \(exact)| > \(bound)")
                let step = abs(parameters[1][index] - parameters[0][index])
                // p - 0.5·g: the gradient's difference halved, plus one rounding of each result.
                #expect(step <= 0.5 * bound * (1 + 4 * Self.eps) + 4 * Self.eps * abs(parameters[0][index]))
                if fast != exact { differing += 1 }
            }
        }
        // The fast kernels do fuse: some sums of 40 products round differently.
        #expect(differing > 0, "no gradient differs: the fast step did not use FMA")
    }

    @Test("end to end: fast steps stay within 1e-9 (relative) of the interpreter's losses and weights")
    func endToEnd() throws {
        for test in CompiledTrainingVectorTests.cases {
            let (x, y) = test.data(rows: 33)
            let interpreted = MLP(inputs: test.inputs, layers: test.layers, activations: test.activations, seed: 5)
            let compiled = MLP(inputs: test.inputs, layers: test.layers, activations: test.activations, seed: 5)
            let optimizer = SGD(learningRate: 0.2)
            let reference = Trainer(model: interpreted, objective: test.objective, regularization: test.alpha,
                                    optimizer: optimizer)
            let trainer = try CompiledTrainer(model: compiled, objective: test.objective, regularization: test.alpha,
                                              optimizer: optimizer, options: JITOptions(numerics: .fast))
            for step in 0..<4 {
                let expected = try reference.fitBatch(rows: x, targets: y)
                let got = try trainer.fitBatch(rows: x, targets: y)
                #expect(isClose(got.loss, expected.loss, relative: 1e-9), "\(test.layers) step \(step)")
                for (index, (g, e)) in zip(compiled.storage.values, interpreted.storage.values).enumerated() {
                    #expect(isClose(g, e, relative: 1e-9), "\(test.layers) step \(step) parameter \(index)")
                }
            }
        }
    }

    @Test("fast on a processor without FMA is the exact step, bit for bit")
    func noFMAIsExact() throws {
        guard try TargetDescription.host().triple.hasPrefix("x86_64") else { return }
        for test in CompiledTrainingVectorTests.cases {
            try CompiledTrainingVectorTests.expectBitIdentical(
                test, rows: 7, options: JITOptions(processor: .cpu("x86-64-v2"), numerics: .fast))
        }
    }

    @Test("the fast step's IR fuses multiply-adds; the exact step's does not")
    func irFuses() throws {
        guard try TargetDescription.host().hasFMA else { return }
        func ir(_ numerics: JITOptions.Numerics) throws -> String {
            try CompiledTrainer(model: MLP(inputs: 3, layers: [9, 1]), optimizer: SGD(learningRate: 1),
                                options: JITOptions(numerics: numerics)).ir()
        }
        #expect(try ir(.fast).contains("llvm.fma."))
        #expect(try !ir(.exact).contains("llvm.fma."))
    }
}
