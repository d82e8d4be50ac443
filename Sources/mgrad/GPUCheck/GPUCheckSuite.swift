import Foundation
import JIT
import Micrograd

/// The equivalence checks of `mgrad gpu-check`.
struct GPUCheckSuite {
    let device: Device
    let quick: Bool

    static let small = (inputs: 2, layers: [16, 16, 1])
    static let wide = (inputs: 784, layers: [128, 64, 10])

    func run(into report: inout GPUCheckReport) {
        let probe = MLP(inputs: 2, layers: [4, 1], seed: 1)
        do {
            let model = try jit(probe, on: device)
            let target = model.ptx?.target.cpu ?? "none"
            report.info("DEVICE \(model.deviceName); PTX target \(target); LLVM \(LLVMVersion.string)")
        } catch {
            report.deviceMissing = true
            report.check("device \(device)", false, "\(error)")
            return
        }
        for precision in JITOptions.Precision.allCases {
            equivalence(Self.small, rows: quick ? 4099 : 1_048_576, precision: precision, into: &report)
            equivalence(Self.wide, rows: quick ? 300 : 4099, precision: precision, into: &report)
        }
        edgeRows(into: &report)
        sync(into: &report)
        // NOTE: the CPU reads live weights (nothing is stale) and loads no PTX.
        if case .cuda(let ordinal) = device { badPTX(ordinal: ordinal, into: &report) }
    }

    /// `MLP(2,[16,16,1])`.
    static func modelName(_ inputs: Int, _ layers: [Int]) -> String {
        "MLP(\(inputs),[\(layers.map(String.init).joined(separator: ","))])"
    }

    /// Seeded inputs in [-3, 3].
    static func inputs(_ count: Int, seed: UInt64) -> [Double] {
        var random = RandomSource(seed: seed)
        return (0..<count).map { _ in random.nextUniform(-3, 3) }
    }

    /// The number of positions whose bits differ (NaNs of any payload count as equal).
    static func differing(_ a: [Double], _ b: [Double]) -> Int {
        guard a.count == b.count else { return Swift.max(a.count, b.count) }
        return zip(a, b).count { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }
    }

    /// GPU outputs against the CPU JIT on every row and the interpreter on the first rows.
    private func equivalence(
        _ shape: (inputs: Int, layers: [Int]), rows: Int, precision: JITOptions.Precision,
        into report: inout GPUCheckReport
    ) {
        let name = "\(Self.modelName(shape.inputs, shape.layers)) \(precision) \(rows) rows"
        report.attempt(name) { report in
            let model = MLP(inputs: shape.inputs, layers: shape.layers, seed: 1337)
            let options = JITOptions(precision: precision)
            let gpu = try jit(model, on: device, options: options)
            if let seconds = gpu.gpuCompileSeconds {
                let total = (seconds.generation + seconds.load) * 1000
                report.info(String(format: "TIME compile %@: PTX %.1f ms + driver load %.1f ms = %.1f ms",
                                   name, seconds.generation * 1000, seconds.load * 1000, total))
                if shape.inputs == 2 && precision == .float64 {
                    report.check("compile MLP(2,[16,16,1]) <= 300 ms", total <= 300, String(format: "%.1f ms", total))
                }
            }
            let x = Self.inputs(rows * shape.inputs, seed: 42)
            let got = try gpu(batch: x, rows: rows)
            let cpu = try jit(model, options: options)(batch: x, rows: rows)
            let differ = Self.differing(got, cpu)
            report.check("\(name) equals the CPU JIT bit for bit", differ == 0, "\(differ) of \(got.count) differ")
            let few = Swift.min(rows, 4)
            let interpreted = try (0..<few).flatMap { row in
                try model(Array(x[row * shape.inputs ..< (row + 1) * shape.inputs])).map(\.data)
            }
            let head = Array(got[..<interpreted.count])
            if precision == .float64 {
                report.check("\(name) equals the interpreter bit for bit (first \(few) rows)",
                             Self.differing(head, interpreted) == 0)
            } else {
                let worst = zip(head, interpreted).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? 0
                report.check("\(name) within 1e-4 of the interpreter (first \(few) rows)", worst <= 1e-4, "\(worst)")
            }
        }
    }

    /// One row, zero rows, a row count one past a block, and a repeated call on the same buffers.
    private func edgeRows(into report: inout GPUCheckReport) {
        report.attempt("edge row counts") { report in
            let model = MLP(inputs: 3, layers: [5, 2], seed: 9)
            let gpu = try jit(model, on: device)
            let cpu = try jit(model)
            for rows in [1, 0, 257, 256, 1] {
                let x = Self.inputs(rows * 3, seed: UInt64(rows) + 1)
                let got = try gpu(batch: x, rows: rows)
                let expected = try cpu(batch: x, rows: rows)
                report.check("\(rows) rows", Self.differing(got, expected) == 0 && got.count == rows * 2)
            }
        }
    }

    /// Weights change on the host: stale until `syncToDevice()`, then the new results.
    private func sync(into report: inout GPUCheckReport) {
        report.attempt("syncToDevice") { report in
            let model = MLP(inputs: 2, layers: [16, 16, 1], seed: 3)
            let gpu = try jit(model, on: device)
            let x = Self.inputs(2 * 1000, seed: 5)
            let before = try gpu(batch: x, rows: 1000)
            for index in 0..<model.storage.count { model.storage.baseAddress[index] *= 0.5 }
            if device != .cpu {
                let stale = try gpu(batch: x, rows: 1000)
                report.check("stale weights before syncToDevice", Self.differing(stale, before) == 0)
            }
            try gpu.syncToDevice()
            let after = try gpu(batch: x, rows: 1000)
            let expected = try jit(model)(batch: x, rows: 1000)
            report.check("new weights after syncToDevice", Self.differing(after, expected) == 0)
        }
    }

    /// PTX the driver rejects: a thrown `.driver` error carrying the JIT log.
    private func badPTX(ordinal: Int, into report: inout GPUCheckReport) {
        let ptx = ".version 7.0\n.target sm_80\n.address_size 64\n.visible .entry broken() { mov.u32 %r1, 1; ret; }\n"
        do {
            try loadPTX(ptx, onCUDADevice: ordinal)
            report.check("bad PTX is rejected", false, "the driver loaded it")
        } catch JITError.driver(let message) {
            report.check("bad PTX: driver error with the JIT log", message.contains("cuModuleLoadDataEx")
                         && message.contains("JIT log"), message)
        } catch {
            report.check("bad PTX is rejected as a driver error", false, "\(error)")
        }
    }
}
