@testable import JIT
import Micrograd
import Testing
import TestSupport

/// Compiled gradients in pieces (forward pieces, then reverse pieces last to first, adjoints
/// through a zeroed buffer). Each adjoint gets the single function's `fadd`s in the same order,
/// so the results are compared bit for bit with the single function, and with `backward()`
/// within 1e-12 relative (`isClose`, as `CompiledGradientTests`).
@Suite("Piecewise gradients")
struct PiecewiseGradientTests {
    @Test("random graphs: pieces == single function (bits) and == backward() (1e-12), O0, O2 and O3", arguments: [
        JITOptions.OptimizationLevel.o0, .o2, .o3,
    ])
    func randomGraphs(level: JITOptions.OptimizationLevel) throws {
        for seed in UInt64(1)...30 {
            let (loss, leaves) = TestSupport.RandomGraph.make(seed: seed, leaves: 4, nodes: 40)
            let unused = Value(1.5)
            let inputs = [leaves[0], unused], parameters = Array(leaves[1...])
            let options = JITOptions(optimization: level)
            let pieces = try CompiledGradient(loss: loss, inputs: inputs, parameters: parameters, options: options,
                                              limits: PiecewiseCompilationTests.tiny)
            let single = try CompiledGradient(loss: loss, inputs: inputs, parameters: parameters, options: options)
            #expect(pieces.isPiecewise && !single.isPiecewise)
            let got = pieces.valueAndGradient(), want = single.valueAndGradient()
            #expect(sameResult(got.value, want.value), "seed \(seed): value")
            for (g, w) in zip(got.inputGradient + got.parameterGradient, want.inputGradient + want.parameterGradient) {
                #expect(sameResult(g, w), "seed \(seed): \(g) vs \(w)")
            }
            #expect(got.inputGradient[1] == 0, "seed \(seed): an input the loss does not use")
            loss.zeroGrad()
            loss.backward()
            #expect(sameResult(got.value, loss.data))
            for (g, leaf) in zip(got.inputGradient + got.parameterGradient, inputs + parameters) {
                #expect(isClose(g, leaf.grad), "seed \(seed): \(g) vs backward \(leaf.grad)")
            }
        }
    }

    @Test("Float32 pieces: within 1e-5 of backward()")
    func float32() throws {
        let (loss, leaves) = TestSupport.RandomGraph.make(seed: 77, leaves: 3, nodes: 40)
        let compiled = try CompiledGradient(loss: loss, inputs: leaves, parameters: [],
                                            options: JITOptions(precision: .float32),
                                            limits: PiecewiseCompilationTests.tiny)
        let result = compiled.valueAndGradient()
        loss.zeroGrad()
        loss.backward()
        #expect(isClose(result.value, loss.data, relative: 1e-5))
        for (g, leaf) in zip(result.inputGradient, leaves) { #expect(isClose(g, leaf.grad, relative: 1e-5)) }
    }

    @Test("default limits: a 6000-node graph's gradient is compiled in pieces and matches backward()")
    func defaultLimits() throws {
        let (loss, leaves) = TestSupport.RandomGraph.make(seed: 3, leaves: 16, nodes: 6000)
        let compiled = try jit(loss, inputs: leaves, parameters: [])
        #expect(compiled.isPiecewise)
        let result = compiled.valueAndGradient()
        loss.zeroGrad()
        loss.backward()
        #expect(sameResult(result.value, loss.data))
        for (g, leaf) in zip(result.inputGradient, leaves) { #expect(isClose(g, leaf.grad), "\(g) vs \(leaf.grad)") }
    }
}
