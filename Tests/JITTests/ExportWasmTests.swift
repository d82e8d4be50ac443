import Foundation
import JIT
import Micrograd
import Testing

/// The wasm32 export run for real: `Export.model(..., target: .wasm32)`, linked by the toolchain's
/// `wasm-ld`, instantiated in WasmKit with no imports, called through the module's memory.
///
/// Float64 (exact): every output equals the interpreter's (`try mlp(x)`) bit for bit, on the 100
/// moons fixture points and on random inputs. Float32: every output equals the host JIT's Float32
/// result bit for bit (same kernels, IEEE float arithmetic, no fused multiply-add), and so is
/// within `tolerance(for: .float32)` (1e-5 relative) of the interpreter. A batch equals the
/// single-sample calls bit for bit. A missing `wasm-ld` fails the tests (it ships with Swift).
@Suite("wasm32 export runs in WasmKit")
struct ExportWasmTests {
    /// The moons classifier's parameters after training as `mgrad export moons` trains it: the
    /// fixture's initial weights, 100 SGD steps of the interpreter (computed once, shared).
    static let trainedParameters = Result { () throws -> [Double] in
        let fixture = try MoonsFixture.bundled()
        let mlp = try fixture.makeModel()
        let trainer = Trainer.karpathyMoons(model: mlp, steps: fixture.log.count)
        _ = try trainer.fit(fixture.dataset, steps: fixture.log.count)
        return mlp.storage.values
    }

    static func trainedMoons() throws -> (MLP, MoonsFixture) {
        let fixture = try MoonsFixture.bundled()
        let mlp = try fixture.makeModel()
        try mlp.loadParameters(trainedParameters.get())
        return (mlp, fixture)
    }

    static func randomMLP() -> MLP {
        MLP(inputs: 3, layers: [8, 8, 2], activations: [.relu, .relu, .linear], seed: 29)
    }

    /// Exports `mlp` for wasm32 into a fresh temporary folder, links and instantiates it; also
    /// returns the rows its batched entry computes as one block (`NAME_BATCH_BLOCK` in NAME.h).
    static func exported(_ mlp: MLP, name: String, precision: JITOptions.Precision) throws -> (WasmExport, Int) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wasm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Export.model(mlp, name: name, to: directory, target: .wasm32,
                                     options: ExportOptions(precision: precision))
        let module = try WasmExport(object: files.object, name: name, inputCount: mlp.inputCount,
                                    outputCount: mlp.outputCount)
        #expect(module.exportedFunctions == ["\(name)_predict", "\(name)_predict_batch"])
        let header = try String(contentsOf: files.header, encoding: .utf8)
        let macro = "#define \(name.uppercased())_BATCH_BLOCK "
        let line = header.split(separator: "\n").first { $0.hasPrefix(macro) }
        let block = line.flatMap { Int($0.dropFirst(macro.count)) }
        return (module, try #require(block, "\(files.header.path) defines no \(macro)"))
    }

    static func randomRows(_ count: Int, width: Int, in range: ClosedRange<Double>, seed: UInt64) -> [[Double]] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in (0..<width).map { _ in Double.random(in: range, using: &random) } }
    }

    /// Float64: single calls and one batch against the interpreter, bit for bit.
    static func checkFloat64(_ mlp: MLP, _ module: WasmExport, block: Int, rows: [[Double]]) throws {
        #expect(rows.count > block && rows.count % block != 0, "\(rows.count) rows: whole blocks and a tail")
        let batch = try module.predictBatch(rows)
        #expect(batch.count == rows.count)
        for (index, row) in rows.enumerated() {
            let expected = try mlp(row).map(\.data)
            let single = try module.predict(row)
            #expect(single.map(\.bitPattern) == expected.map(\.bitPattern),
                    "row \(index) \(row): \(single) vs \(expected)")
            #expect(batch[index].map(\.bitPattern) == single.map(\.bitPattern), "row \(index): batch \(batch[index])")
        }
    }

    /// Float32: single calls and one batch against the host JIT's Float32 model, bit for bit,
    /// and against the interpreter within the Float32 tolerance.
    static func checkFloat32(_ mlp: MLP, _ module: WasmExport, block: Int, rows: [[Double]]) throws {
        #expect(rows.count > block && rows.count % block != 0, "\(rows.count) rows: whole blocks and a tail")
        let compiled = try jit(mlp, options: JITOptions(precision: .float32))
        let floats = rows.map { $0.map(Float.init) }
        let batch = try module.predictBatch(floats)
        for (index, row) in floats.enumerated() {
            let widened = row.map(Double.init)
            let expected = try compiled(widened)
            let single = try module.predict(row)
            #expect(single.map { Double($0).bitPattern } == expected.map(\.bitPattern),
                    "row \(index): \(single) vs JIT \(expected)")
            #expect(batch[index].map(\.bitPattern) == single.map(\.bitPattern), "row \(index): batch \(batch[index])")
            for (got, exact) in zip(single, try mlp(widened).map(\.data)) {
                #expect(isClose(Double(got), exact, relative: tolerance(for: .float32)),
                        "row \(index): \(got) vs \(exact)")
            }
        }
    }

    @Test("moons, Float64: the 100 fixture points and random inputs, bit for bit; all points classified right")
    func moonsFloat64() throws {
        let (mlp, fixture) = try Self.trainedMoons()
        let (module, block) = try Self.exported(mlp, name: "moons", precision: .float64)
        let rows = fixture.inputs + Self.randomRows(27, width: 2, in: -2...3, seed: 7)
        try Self.checkFloat64(mlp, module, block: block, rows: rows)
        let scores = try module.predictBatch(fixture.inputs).map { $0[0] }
        let correct = zip(scores, fixture.labels).filter { ($0 > 0 ? 1.0 : -1.0) == $1 }.count
        #expect(correct == 100, "\(correct) of 100 fixture points classified right")
        // Batches shorter than a block, of exactly one, and one row longer.
        let whole = try module.predictBatch(rows)
        for count in [1, 5, block - 1, block, block + 1] {
            let part = try module.predictBatch(Array(rows.prefix(count)))
            let expected = whole.prefix(count).map { $0.map(\.bitPattern) }
            #expect(part.map { $0.map(\.bitPattern) } == expected, "\(count) rows")
        }
    }

    @Test("the committed Examples/Web/moons.wasm gives the interpreter's bits (else rerun scripts/web-demo)")
    func committedWebDemo() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let wasm = root.appendingPathComponent("Examples/Web/moons.wasm")
        let (mlp, fixture) = try Self.trainedMoons()
        let module = try WasmExport(wasm: wasm, name: "moons", inputCount: 2, outputCount: 1)
        let rows = fixture.inputs + Self.randomRows(27, width: 2, in: -2...3, seed: 8)
        for row in rows {
            let got = try module.predict(row)[0], want = try mlp(row)[0].data
            #expect(got.bitPattern == want.bitPattern, "at \(row): \(got) vs \(want); rebuild it with scripts/web-demo")
        }
    }

    @Test("MLP(3, [8, 8, 2]) with relu, Float64: random inputs bit for bit")
    func randomFloat64() throws {
        let mlp = Self.randomMLP()
        let (module, block) = try Self.exported(mlp, name: "net", precision: .float64)
        try Self.checkFloat64(mlp, module, block: block, rows: Self.randomRows(150, width: 3, in: -2...2, seed: 3))
    }

    @Test("moons, Float32: the JIT's Float32 bits on the fixture points and random inputs")
    func moonsFloat32() throws {
        let (mlp, fixture) = try Self.trainedMoons()
        let (module, block) = try Self.exported(mlp, name: "moons", precision: .float32)
        let rows = fixture.inputs + Self.randomRows(27, width: 2, in: -2...3, seed: 8)
        try Self.checkFloat32(mlp, module, block: block, rows: rows)
    }

    @Test("MLP(3, [8, 8, 2]) with relu, Float32: the JIT's Float32 bits")
    func randomFloat32() throws {
        let mlp = Self.randomMLP()
        let (module, block) = try Self.exported(mlp, name: "net", precision: .float32)
        try Self.checkFloat32(mlp, module, block: block, rows: Self.randomRows(150, width: 3, in: -2...2, seed: 4))
    }

    @Test("tanh and sigmoid on wasm32 (the built-in math routines): the host JIT's bits with the same routines")
    func builtInMath() throws {
        let mlp = MLP(inputs: 3, layers: [8, 8, 2], activations: [.tanh, .sigmoid, .linear], seed: 31)
        let (module, block) = try Self.exported(mlp, name: "smooth", precision: .float64)
        let rows = Self.randomRows(150, width: 3, in: -3...3, seed: 5)
        #expect(rows.count > block)
        let host = try jit(mlp, options: JITOptions(mathLibrary: .builtIn))
        let batch = try module.predictBatch(rows)
        for (index, row) in rows.enumerated() {
            let expected = try host(row)
            #expect(try module.predict(row).map(\.bitPattern) == expected.map(\.bitPattern), "row \(index)")
            #expect(batch[index].map(\.bitPattern) == expected.map(\.bitPattern), "row \(index), batched")
            let interpreted = try mlp(row).map(\.data)
            for (value, reference) in zip(expected, interpreted) {
                #expect(abs(value - reference) <= 1e-14 * Swift.max(1, abs(reference)), "row \(index)")
            }
        }
    }
}
