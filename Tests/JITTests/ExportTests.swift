import Foundation
import JIT
import Micrograd
import Testing

/// Exported objects linked into C programs compute what the interpreter and the JIT compute.
@Suite("Ahead-of-time export: host objects in C programs")
struct ExportTests {
    /// The moons model trained as `mgrad export moons` trains it.
    static func trainedMoons() throws -> (MLP, MoonsFixture) {
        let data = try MoonsFixture.bundled()
        let mlp = try data.makeModel()
        _ = try Trainer.karpathyMoons(model: mlp, steps: data.log.count).fit(data.dataset, steps: data.log.count)
        return (mlp, data)
    }

    /// Random inputs of every magnitude, a few exact zeros among them.
    static func randomRows(_ rows: Int, inputs: Int, seed: UInt64) -> [Double] {
        var random = RandomSource(seed: seed)
        return (0..<rows * inputs).map { index in
            index % 17 == 5 ? 0 : random.nextUniform(-1, 1) * pow(10, random.nextUniform(-3, 2).rounded())
        }
    }

    /// Exports `mlp` for the host, runs the C harness on `inputs` (row-major) and returns its
    /// single-sample and batched outputs.
    static func runHost(
        _ mlp: MLP, inputs: [Double], name: String = "model", options: ExportOptions = .default
    ) throws -> (single: [Double], batch: [Double]) {
        let directory = try CProgram.temporaryDirectory("export")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Export.model(mlp, name: name, to: directory, options: options)
        let float32 = options.precision == .float32
        let harness = CProgram.predictHarness(
            name: name, scalar: float32 ? "float" : "double", weights: options.weights == .callerBuffer)
        let executable = try CProgram.build(harness, objects: [files.object], include: directory, in: directory)
        let input = directory.appendingPathComponent("in.bin")
        if float32 { try CProgram.write(inputs.map { Float($0) }, to: input) } else { try CProgram.write(inputs, to: input) }
        try CProgram.run(executable.path, [], in: directory)
        let read = { (file: String) throws -> [Double] in
            let url = directory.appendingPathComponent(file)
            return float32 ? try CProgram.read(url, as: Float.self).map(Double.init) : try CProgram.read(url, as: Double.self)
        }
        return (try read("single.bin"), try read("batch.bin"))
    }

    @Test("the moons model in a C program: the interpreter's scores bit for bit, every fixture point right")
    func moonsFixture() throws {
        let (mlp, data) = try Self.trainedMoons()
        let grid: [[Double]] = (0..<200).map { (i: Int) -> [Double] in
            [Double(i % 20) / 5 - 2, Double(i / 20) / 4 - 1.25]
        }
        let rows: [[Double]] = data.inputs + grid
        let (single, batch) = try Self.runHost(mlp, inputs: rows.flatMap { $0 }, name: "moons")
        let expected = try Evaluation.scores(of: mlp, rows: rows)
        #expect(single.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(batch.map(\.bitPattern) == expected.map(\.bitPattern))
        let correct = zip(single.prefix(data.inputs.count), data.labels).filter { ($0 > 0) == ($1 > 0) }.count
        #expect(correct == data.inputs.count)
    }

    @Test("MLPs of several shapes and activations: single and batched calls (whole blocks and a tail) exact",
          arguments: [(5, [7, 9, 3], [Activation.tanh, .relu, .linear]), (3, [1], [.sigmoid]),
                      (12, [33, 2], [.relu, .tanh]), (1, [4, 4, 4, 1], [.sigmoid, .tanh, .relu, .linear])])
    func shapes(inputs: Int, layers: [Int], activations: [Activation]) throws {
        let mlp = MLP(inputs: inputs, layers: layers, activations: activations, seed: UInt64(inputs * 31 + layers.count))
        let rows = 300
        let x = Self.randomRows(rows, inputs: inputs, seed: 7)
        let (single, batch) = try Self.runHost(mlp, inputs: x)
        let expected = try Evaluation.outputs(of: mlp, rows: (0..<rows).map { Array(x[$0 * inputs ..< ($0 + 1) * inputs]) })
            .flatMap { $0 }
        #expect(single.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(batch.map(\.bitPattern) == single.map(\.bitPattern))
    }

    @Test("Float32 entry points equal the JIT's Float32 model bit for bit, and the interpreter within 1e-5")
    func float32() throws {
        let mlp = MLP(inputs: 4, layers: [16, 8, 2], activations: [.tanh, .relu, .linear], seed: 5)
        let rows = 150
        let x = Self.randomRows(rows, inputs: 4, seed: 3).map { Double(Float($0)) }
        let (single, batch) = try Self.runHost(mlp, inputs: x, options: ExportOptions(precision: .float32))
        let compiled = try jit(mlp, options: JITOptions(precision: .float32))
        let viaJIT = try compiled(batch: x, rows: rows)
        #expect(single.map(\.bitPattern) == viaJIT.map(\.bitPattern))
        #expect(batch.map(\.bitPattern) == single.map(\.bitPattern))
        let exact = try Evaluation.outputs(of: mlp, rows: (0..<rows).map { Array(x[$0 * 4 ..< ($0 + 1) * 4]) }).flatMap { $0 }
        for (value, reference) in zip(single, exact) {
            #expect(abs(value - reference) <= 1e-5 * Swift.max(1, abs(reference)))
        }
    }

    @Test("weights in a caller buffer: NAME.weights holds the parameters, and the results are the same bits")
    func callerBuffer() throws {
        let mlp = MLP(inputs: 2, layers: [16, 16, 1], seed: 11)
        let x = Self.randomRows(90, inputs: 2, seed: 4)
        let embedded = try Self.runHost(mlp, inputs: x)
        let caller = try Self.runHost(mlp, inputs: x, options: ExportOptions(weights: .callerBuffer))
        #expect(caller.single.map(\.bitPattern) == embedded.single.map(\.bitPattern))
        #expect(caller.batch.map(\.bitPattern) == embedded.batch.map(\.bitPattern))

        let directory = try CProgram.temporaryDirectory("weights")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Export.model(mlp, name: "m", to: directory, options: ExportOptions(weights: .callerBuffer))
        let weights = try #require(files.weights)
        #expect(try CProgram.read(weights, as: Double.self).map(\.bitPattern) == mlp.storage.values.map(\.bitPattern))
        let header = try String(contentsOf: files.header, encoding: .utf8)
        #expect(header.contains("void m_predict(const double *parameters, const double *input, double *output);"))
        #expect(header.contains("layer 1: 16 neurons x (16 weights + bias), offsets 48..<320"))
    }
}
