import Foundation
import JIT
import Micrograd
import Testing

/// `.fast` numerics (FMA where the target has it, partial sums in the single-sample kernel)
/// against `.exact`, within the bounds of `FastNumericsBound`, on every processor and both
/// precisions, single-sample and batched. Float64 `.exact` is the interpreter; Float32 `.exact`
/// is the compiled Float32 kernel (the interpreter's order in `Float`, `VectorWidthExactTests`).
@Suite("Fast numerics within their error bounds")
struct FastNumericsTests {
    static func inputs(rows: Int, inputs: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<rows * inputs).map { _ in Double.random(in: -2...2, using: &random) }
    }

    /// Outputs of the exact reference: the interpreter (Float64) or the exact Float32 kernel.
    static func exact(_ model: MLP, _ x: [Double], rows: Int, precision: JITOptions.Precision) throws -> [Double] {
        let n = model.inputCount
        guard precision == .float32 else {
            return try (0..<rows).flatMap { row in try model(Array(x[row * n ..< (row + 1) * n])).map(\.data) }
        }
        return try jit(model, options: JITOptions(precision: .float32, numerics: .exact))(batch: x, rows: rows)
    }

    /// Fast single-sample and batched outputs of `model` on `rows` samples for each processor.
    static func fast(
        _ model: MLP, _ x: [Double], rows: Int, precision: JITOptions.Precision
    ) throws -> [(String, [Double])] {
        let n = model.inputCount
        return try ProcessorMatrix.processors().flatMap { processor in
            let compiled = try jit(model, options: JITOptions(precision: precision, processor: processor, numerics: .fast))
            let single = try (0..<rows).flatMap { row in try compiled(Array(x[row * n ..< (row + 1) * n])) }
            return [("\(processor) single-sample", single), ("\(processor) batched", try compiled(batch: x, rows: rows))]
        }
    }

    @Test("one linear layer: per neuron |fast - exact| <= 2 gamma_m (|b| + sum |w_i x_i|)",
          arguments: [JITOptions.Precision.float64, .float32], [1, 7, 16, 67, 300])
    func linearLayer(precision: JITOptions.Precision, inputs n: Int) throws {
        let model = MLP(inputs: n, layers: [19], activations: [.linear], seed: 80 + UInt64(n))
        let rows = 9
        let x = Self.inputs(rows: rows, inputs: n, seed: 90 + UInt64(n))
        let exact = try Self.exact(model, x, rows: rows, precision: precision)
        var largest = 0.0
        for (variant, fast) in try Self.fast(model, x, rows: rows, precision: precision) {
            for row in 0..<rows {
                let bounds = FastNumericsBound.linearLayer(model.layers[0], inputs: Array(x[row * n ..< (row + 1) * n]),
                                                           precision: precision)
                for j in 0..<19 {
                    let error = abs(fast[row * 19 + j] - exact[row * 19 + j])
                    largest = max(largest, error / bounds[j])
                    #expect(error <= bounds[j], "\(variant), row \(row), neuron \(j): \(error) > \(bounds[j])")
                }
            }
        }
        #expect(largest <= 1)
    }

    @Test("multi-layer models: |fast - exact| within the bound propagated through the layers",
          arguments: [JITOptions.Precision.float64, .float32], 0..<3)
    func multiLayer(precision: JITOptions.Precision, model index: Int) throws {
        let model = [
            MLP(inputs: 5, layers: [13, 7, 3], activations: [.relu, .tanh, .sigmoid], seed: 31),
            MLP(inputs: 64, layers: [37, 16, 10], activations: [.tanh, .sigmoid, .linear], seed: 32),
            MLP(inputs: 2, layers: [16, 16, 1], seed: 33),
        ][index]
        let rows = 65, n = model.inputCount, m = model.outputCount
        let x = Self.inputs(rows: rows, inputs: n, seed: 100 + UInt64(index))
        let exact = try Self.exact(model, x, rows: rows, precision: precision)
        for (variant, fast) in try Self.fast(model, x, rows: rows, precision: precision) {
            for row in 0..<rows {
                let sample = Array(x[row * n ..< (row + 1) * n])
                let bounds = FastNumericsBound.model(model, inputs: sample, precision: precision)
                for j in 0..<m {
                    let error = abs(fast[row * m + j] - exact[row * m + j])
                    #expect(error <= bounds[j], "\(variant), row \(row), output \(j): \(error) > \(bounds[j])")
                }
            }
        }
    }

    @Test("fast kernels fuse multiply-adds exactly where the target has FMA; exact ones never")
    func fusedWhereFMA() throws {
        let model = MLP(inputs: 9, layers: [16, 16, 1], seed: 34)
        for processor in try ProcessorMatrix.processors() {
            let hasFMA = try processor.targetDescription().hasFMA
            for numerics in JITOptions.Numerics.allCases {
                let compiled = try jit(model, options: JITOptions(processor: processor, numerics: numerics))
                let expectFMA = numerics == .fast && hasFMA
                #expect(try compiled.ir().contains("@llvm.fma.") == expectFMA, "\(processor) \(numerics) single-sample")
                #expect(try compiled.batchIR().contains("@llvm.fma.") == expectFMA, "\(processor) \(numerics) batched")
            }
        }
    }
}
