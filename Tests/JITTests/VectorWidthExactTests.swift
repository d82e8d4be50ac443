import Foundation
import JIT
import Micrograd
import Testing

/// `.exact` numerics on every vector width: SSE2 (2 doubles), AVX2 (4) and the host (AVX-512,
/// 8, here), single-sample and batched, Float64 bit for bit the interpreter's, and Float32 the
/// same bits on every processor (and the interpreter's order in `Float` where the activation
/// has no libm call).
@Suite("Exact numerics on every vector width")
struct VectorWidthExactTests {
    /// Widths that are not multiples of 2, 4, 8 or 16 next to ones that are; every activation.
    /// Built per test (an `MLP` is a class, not `Sendable`).
    static var models: [MLP] {
        [
            MLP(inputs: 5, layers: [13, 7, 3], activations: [.relu, .tanh, .sigmoid], seed: 21),
            MLP(inputs: 19, layers: [17, 9, 2], activations: [.sigmoid, .relu, .tanh], seed: 22),
            MLP(inputs: 3, layers: [33, 1], activations: [.tanh, .linear], seed: 23),
            MLP(inputs: 40, layers: [16, 8, 5], activations: [.linear, .relu, .linear], seed: 24),
        ]
    }

    static func inputs(rows: Int, inputs: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<rows * inputs).map { _ in Double.random(in: -2...2, using: &random) }
    }

    static func options(_ processor: JITOptions.Processor, _ precision: JITOptions.Precision) -> JITOptions {
        JITOptions(precision: precision, processor: processor, numerics: .exact)
    }

    @Test("Float64 single-sample calls equal the interpreter bit for bit on every width", arguments: 0..<4)
    func singleSampleFloat64(model index: Int) throws {
        let model = Self.models[index]
        let x = Self.inputs(rows: 5, inputs: model.inputCount, seed: 40 + UInt64(index))
        for processor in try ProcessorMatrix.processors() {
            let compiled = try jit(model, options: Self.options(processor, .float64))
            for row in 0..<5 {
                let sample = Array(x[row * model.inputCount ..< (row + 1) * model.inputCount])
                let expected = try model(sample).map(\.data)
                let got = try compiled(sample)
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern),
                        "\(processor), row \(row): \(got) vs \(expected)")
            }
        }
    }

    @Test("Float64 batches equal the interpreter bit for bit on every width", arguments: [1, 7, 65, 1000])
    func batchedFloat64(rows: Int) throws {
        for (index, model) in Self.models.enumerated() {
            let n = model.inputCount, m = model.outputCount
            let x = Self.inputs(rows: rows, inputs: n, seed: 50 + UInt64(index))
            // Every row of small batches; every 37th and the last 9 of 1000 (a debug-build interpreter is slow).
            let checked = rows <= 65 ? Array(0..<rows) : Array(stride(from: 0, to: rows, by: 37)) + Array(rows - 9 ..< rows)
            let expected = try checked.map { row in try model(Array(x[row * n ..< (row + 1) * n])).map(\.data) }
            for processor in try ProcessorMatrix.processors() {
                let outputs = try jit(model, options: Self.options(processor, .float64))(batch: x, rows: rows)
                for (row, want) in zip(checked, expected) {
                    let got = Array(outputs[row * m ..< (row + 1) * m])
                    #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(processor), row \(row) of \(rows)")
                }
            }
        }
    }

    @Test("Float32: the same bits on every width, single-sample and batched", arguments: 0..<4)
    func float32AcrossWidths(model index: Int) throws {
        let model = Self.models[index]
        let rows = 65, n = model.inputCount
        let x = Self.inputs(rows: rows, inputs: n, seed: 60 + UInt64(index))
        var reference: [Double]?
        for processor in try ProcessorMatrix.processors() {
            let compiled = try jit(model, options: Self.options(processor, .float32))
            let batched = try compiled(batch: x, rows: rows)
            let single = try (0..<rows).flatMap { row in try compiled(Array(x[row * n ..< (row + 1) * n])) }
            #expect(batched.map(\.bitPattern) == single.map(\.bitPattern), "\(processor): batched vs single-sample")
            if let reference {
                #expect(batched.map(\.bitPattern) == reference.map(\.bitPattern), "\(processor) vs the host")
            } else {
                reference = batched
            }
        }
    }

    @Test("Float32 exact follows the interpreter's order in Float", arguments: 0..<4)
    func float32InterpreterOrder(model index: Int) throws {
        let model = Self.models[index]
        let rows = 7, n = model.inputCount, m = model.outputCount
        let x = Self.inputs(rows: rows, inputs: n, seed: 70)
        for processor in try ProcessorMatrix.processors() {
            let compiled = try jit(model, options: Self.options(processor, .float32))
            let batched = try compiled(batch: x, rows: rows)
            for row in 0..<rows {
                let want = Self.floatForward(model, Array(x[row * n ..< (row + 1) * n]))
                let got = try compiled(Array(x[row * n ..< (row + 1) * n]))
                #expect(got == want.map(Double.init), "\(processor) single-sample, row \(row)")
                #expect(Array(batched[row * m ..< (row + 1) * m]) == want.map(Double.init),
                        "\(processor) batched, row \(row)")
            }
        }
    }

    /// The forward pass in `Float`, the interpreter's order: `acc = b; acc = acc + w_i * x_i`,
    /// then libm's `tanhf`, or the engine's stable sigmoid with `expf`.
    static func floatForward(_ model: MLP, _ x: [Double]) -> [Float] {
        var values = x.map(Float.init)
        for layer in model.layers {
            values = layer.neurons.map { neuron in
                var acc = Float(neuron.bias.data)
                for (w, v) in zip(neuron.weights, values) {
                    let product = Float(w.data) * v
                    acc = acc + product
                }
                switch layer.activation {
                case .relu: return acc <= 0 ? 0 : acc
                case .linear: return acc
                case .tanh: return tanh(acc)
                case .sigmoid:
                    let t = exp(-abs(acc))
                    return (acc >= 0 ? 1 : t) / (1 + t)
                }
            }
        }
        return values
    }
}
