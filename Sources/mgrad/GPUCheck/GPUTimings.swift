import Foundation
import JIT
import Micrograd

/// The timings of `mgrad gpu-check`: the kernel alone (inputs resident on the device) and a
/// whole call (inputs up, kernel, outputs down), median of several runs, next to the PyTorch
/// figures of issue 12 (measured on the same kind of machine).
struct GPUTimings {
    let device: Device
    let quick: Bool

    /// A model, a precision, a row count, and torch's figure for it (microseconds), if known.
    struct Case {
        let inputs: Int
        let layers: [Int]
        let precision: JITOptions.Precision
        let rows: Int
        let torch: String
    }

    var cases: [Case] {
        let all = [
            Case(inputs: 2, layers: [16, 16, 1], precision: .float64, rows: 4096,
                 torch: "torch eager 118 us, CUDA-graph replay 12.8 us; goal <= 12.8 us"),
            Case(inputs: 2, layers: [16, 16, 1], precision: .float64, rows: 65536, torch: ""),
            Case(inputs: 2, layers: [16, 16, 1], precision: .float64, rows: 1_048_576,
                 torch: "torch eager 605 us; goal <= 151 us"),
            Case(inputs: 2, layers: [16, 16, 1], precision: .float32, rows: 1_048_576, torch: ""),
            Case(inputs: 784, layers: [128, 64, 10], precision: .float64, rows: 65536,
                 torch: "torch eager 573 us; goal <= 1146 us"),
            Case(inputs: 784, layers: [128, 64, 10], precision: .float32, rows: 65536,
                 torch: "torch eager 344 us; goal <= 688 us"),
        ]
        return quick ? all.filter { $0.rows <= 65536 && $0.inputs == 2 } : all
    }

    func run(into report: inout GPUCheckReport) {
        for item in cases {
            let name = "\(GPUCheckSuite.modelName(item.inputs, item.layers)) \(item.precision) \(item.rows) rows"
            report.attempt("timing \(name)") { report in
                let model = MLP(inputs: item.inputs, layers: item.layers, seed: 1337)
                let gpu = try jit(model, on: device, options: JITOptions(precision: item.precision))
                let x = GPUCheckSuite.inputs(item.rows * item.inputs, seed: 7)
                var out = [Double](repeating: 0, count: item.rows * item.outputCount)
                try x.withUnsafeBufferPointer { try gpu.load(batch: $0, rows: item.rows) }
                let repeats = quick ? 5 : 30
                let kernel = try Self.median(repeats: repeats) { try gpu.runResident() }
                let whole = try Self.median(repeats: Swift.max(3, repeats / 3)) {
                    try x.withUnsafeBufferPointer { input in
                        try out.withUnsafeMutableBufferPointer { try gpu(batch: input, rows: item.rows, into: $0) }
                    }
                }
                let reference = item.torch.isEmpty ? "" : " (\(item.torch))"
                report.info(String(format: "TIME %@: kernel %.1f us, whole call with transfers %.1f us%@",
                                   name, kernel, whole, reference))
            }
        }
    }

    /// The median of `repeats` timed runs of `body` after two untimed ones, in microseconds.
    static func median(repeats: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        try body()
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            let started = clock.now
            try body()
            let elapsed = clock.now - started
            samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) * 1e-12)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

extension GPUTimings.Case {
    var outputCount: Int { layers.last ?? 0 }
}
